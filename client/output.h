/* SPDX-License-Identifier: ISC */
/*
 * output.h - how nesctl prints results: a struct of functions chosen once,
 * as bgpctl does, with output.c drawing tables for people and output-json.c
 * printing one compact JSON line for scripts.
 */
#ifndef NESCTL_OUTPUT_H
#define NESCTL_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

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
	output_fn	 case_shown;	/* a case, after a verb changed it */
	output_fn	 case_detail;	/* case.show: a case and its history */
	output_fn	 cases;		/* case.list */
	output_fn	 form;		/* renew.form */
	output_fn	 profile;	/* profile.show */
	output_fn	 profile_set;	/* profile.set */
	output_fn	 officer;	/* renew.notify_officer */
	output_fn	 eonay;		/* eonay.set */
	output_fn	 url;		/* renew.open */
	output_fn	 ready;		/* ready */
	output_fn	 calendar;	/* calendar: iCalendar on stdout */
};

/* output-case.c: the text output of cases, the form and the profile. */
void	output_text_case(json_t *, int);
void	output_text_case_detail(json_t *, int);
void	output_text_cases(json_t *, int);
void	output_text_form(json_t *, int);
void	output_text_profile(json_t *, int);
void	output_text_profile_set(json_t *, int);
void	output_text_officer(json_t *, int);
void	output_text_eonay(json_t *, int);
void	output_text_url(json_t *, int);
/* output-calendar.c: the readiness marks, the iCalendar file. */
void	output_text_ready(json_t *, int);
void	output_text_calendar(json_t *, int);
void	output_calendar(FILE *, json_t *);
/* status: the open cases and the E-Onay recommendation, if any. */
void	output_text_status_cases(json_t *);

extern const struct output output_json;
extern const struct output output_text;

/* output-json.c: whether a result was printed; an error as one line. */
int	output_json_printed(void);
void	output_json_error(json_t *);

/* Columns a UTF-8 string takes on a terminal: its code points. */
size_t	output_width(const char *);
/* text as a paragraph on fp: a mark, an indent, at most cols columns. */
void	output_paragraph(FILE *, const char *, int, size_t, const char *);

#endif
