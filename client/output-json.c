/* SPDX-License-Identifier: ISC */
/*
 * output-json.c - nesctl --json: the result of the call, or the merged
 * results of a verb that makes several (list's pages, import's files), as
 * one compact JSON line on stdout, for scripts and jq. Keys and values are
 * the daemon's, epoch seconds included; nothing is reworded or dropped.
 */

#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fail.h"
#include "nesctl.h"
#include "nls.h"
#include "output.h"

/* A result was printed: it is the answer, failed or not. */
static int	 output_json_done;

/* One value, compact, then a newline. */
static void
output_json_line(json_t *v)
{
	if (json_dumpf(v, stdout, JSON_COMPACT) == -1)
		fail_errx(NESCTL_EXIT_FAILED,
		    _("cannot write the result as JSON"));
	putchar('\n');
}

static void
output_json_print(json_t *v, int opts NESCTL_UNUSED)
{
	output_json_done = 1;
	output_json_line(v);
}

int
output_json_printed(void)
{
	return (output_json_done);
}

void
output_json_error(json_t *error)
{
	output_json_line(error);
}

/* An event as one line: its params with the event's name added. */
static void
output_json_event(json_t *msg, int opts NESCTL_UNUSED)
{
	const char	*name;
	json_t		*p;

	name = json_string_value(json_object_get(msg, "method"));
	if (name == NULL || strncmp(name, "event.", 6) != 0)
		return;
	p = json_deep_copy(json_object_get(msg, "params"));
	if (!json_is_object(p)) {
		json_decref(p);
		p = json_object();
	}
	json_object_set_new(p, "event", json_string(name + 6));
	output_json_line(p);
	json_decref(p);
}

/* Nothing per file: import prints all files' certificates at the end. */
static void
output_json_imported(json_t *v NESCTL_UNUSED, int opts NESCTL_UNUSED)
{
}

const struct output output_json = {
	.status = output_json_print,
	.list = output_json_print,
	.show = output_json_print,
	.imported = output_json_imported,
	.import_done = output_json_print,
	.forgot = output_json_print,
	.readers = output_json_print,
	.cards = output_json_print,
	.event = output_json_event,
	.checked = output_json_print,
	.reminders = output_json_print,
	.acked = output_json_print,
	.snoozed = output_json_print,
	.tested = output_json_print,
	.case_shown = output_json_print,
	.case_detail = output_json_print,
	.cases = output_json_print,
	.form = output_json_print,
	.profile = output_json_print,
	.profile_set = output_json_print,
	.officer = output_json_print,
	.eonay = output_json_print,
	.url = output_json_print,
	.ready = output_json_print,
	.calendar = output_json_print,
};
