/* SPDX-License-Identifier: ISC */
/*
 * output.h - how nesctl prints results: a struct of functions chosen once,
 * as bgpctl does, with output.c drawing tables for people and output-json.c
 * printing one compact JSON line for scripts.
 */
#ifndef NESCTL_OUTPUT_H
#define NESCTL_OUTPUT_H

#include <stddef.h>

#include <jansson.h>

/*
 * Each function gets a method's result (borrowed) and the verb's
 * NESCTL_OPT_* options.
 */
typedef void (*output_fn)(json_t *, int);

struct output {
	output_fn	 status;	/* a status result */
	output_fn	 list;		/* {"certificates":[...]}, all pages */
	output_fn	 show;		/* a cert.show result */
	output_fn	 imported;	/* one file's cert.import result */
	output_fn	 import_done;	/* {"certificates":[...]}, all files */
	output_fn	 forgot;	/* a cert.forget result */
	output_fn	 readers;	/* a card.readers result */
	output_fn	 cards;		/* a card.list result */
	output_fn	 event;		/* a notification, for watch */
	output_fn	 checked;	/* a cert.check result */
	output_fn	 reminders;	/* a reminder.list result */
	output_fn	 acked;		/* a reminder.ack result */
	output_fn	 snoozed;	/* a reminder.snooze result */
	output_fn	 tested;	/* {"messages":[... with outcomes]} */
};

extern const struct output output_text;
extern const struct output output_json;

/* Columns a UTF-8 string takes on a terminal: its code points. */
size_t	output_width(const char *);

#endif
