/* SPDX-License-Identifier: ISC */
/*
 * fail.c - nesctl's failures: every message goes to stderr as err(3) puts
 * it; under --json the first failure is kept and, at the end, printed as
 * one JSON object on stdout with the exit status it goes with: nesd's own
 * error object when nesd refused, else one of nesctl's codes (fail.h).
 * When the verb printed its result already (notify-test, with the
 * outcome of each message), that result is the answer and nothing more
 * is printed: stdout stays one line of JSON.
 */

#include "autoconf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fail.h"
#include "nesctl.h"
#include "nitems.h"
#include "output.h"

static int	 fail_as_json;
static json_t	*fail_first;	/* {"error":{...}}, the first failure */

/* Each exit status's code and name, when nesd did not give one. */
static const struct {
	int		 exit;
	int		 code;
	const char	*name;
} fail_codes[] = {
	{ NESCTL_EXIT_FAILED, FAIL_E_FAILED, "failed" },
	{ NESCTL_EXIT_USAGE, FAIL_E_USAGE, "usage" },
	{ NESCTL_EXIT_NODAEMON, FAIL_E_NODAEMON, "no_daemon" },
};

void
fail_json(int on)
{
	fail_as_json = on;
}

/* Keep error as the failure to report, unless one came first. */
static void
fail_keep(json_t *error)
{
	if (fail_first == NULL && error != NULL)
		fail_first = json_pack("{s:o}", "error", error);
	else
		json_decref(error);
}

/* Say it on stderr; keep it, with the code of exit status rv. */
static void
fail_put(int rv, int errnum, const char *fmt, va_list ap)
{
	char	*msg, *full;
	size_t	 i;

	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	if (msg != NULL && errnum != 0) {
		if (asprintf(&full, "%s: %s", msg, strerror(errnum)) == -1)
			full = NULL;
		free(msg);
		msg = full;
	}
	fprintf(stderr, "%s: %s\n", program_invocation_short_name,
	    msg != NULL ? msg : "out of memory");
	for (i = 0; i < nitems(fail_codes); i++)
		if (fail_codes[i].exit == rv)
			break;
	if (i == nitems(fail_codes))
		i = 0;
	fail_keep(json_pack("{s:i, s:s?, s:{s:s}}", "code", fail_codes[i].code,
	    "message", msg, "data", "name", fail_codes[i].name));
	free(msg);
}

void
fail_warn(int rv, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	fail_put(rv, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
fail_warnx(int rv, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fail_put(rv, 0, fmt, ap);
	va_end(ap);
}

void
fail_vwarnx(int rv, const char *fmt, va_list ap)
{
	fail_put(rv, 0, fmt, ap);
}

void
fail_err(int rv, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	fail_put(rv, saved, fmt, ap);
	va_end(ap);
	exit(fail_exit(rv));
}

void
fail_errx(int rv, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fail_put(rv, 0, fmt, ap);
	va_end(ap);
	exit(fail_exit(rv));
}

void
fail_reply(json_t *e, const char *prefix)
{
	const char	*msg, *detail;

	msg = json_string_value(json_object_get(e, "message"));
	detail = json_string_value(json_object_get(json_object_get(e, "data"),
	    "detail"));
	fprintf(stderr, "%s: %s%s%s%s%s\n", program_invocation_short_name,
	    prefix != NULL ? prefix : "",
	    prefix != NULL ? ": " : "", msg != NULL ? msg : "",
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
	fail_keep(json_deep_copy(e));
}

void
fail_attach(const char *key, json_t *v)
{
	if (fail_first != NULL)
		json_object_set_new(fail_first, key, v);
	else
		json_decref(v);
}

int
fail_exit(int rv)
{
	if (rv != NESCTL_EXIT_OK && fail_as_json && fail_first != NULL &&
	    !output_json_printed())
		output_json_error(fail_first);
	json_decref(fail_first);
	fail_first = NULL;
	return (rv);
}
