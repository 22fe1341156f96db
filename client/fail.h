/* SPDX-License-Identifier: ISC */
/*
 * fail.h - how nesctl reports a failure: "nesctl: message" on stderr, as
 * err(3) and warnx(3) do, and under --json also one JSON object on stdout,
 * {"error":{"code":...,"message":"...","data":{"name":"..."}}}, with the
 * same exit status, so that a script never has to parse English.
 */
#ifndef NESCTL_FAIL_H
#define NESCTL_FAIL_H

#include <stdarg.h>

#include <jansson.h>

/*
 * nesctl's own codes, for failures that are not nesd's answer (nesd's own
 * are in proto.h, below 100). Never renumber one; nesctl.1 lists them.
 */
#define FAIL_E_FAILED	100	/* "failed": nesctl could not (exit 1) */
#define FAIL_E_USAGE	101	/* "usage": a bad command line (exit 2) */
#define FAIL_E_NODAEMON	102	/* "no_daemon": cannot talk (exit 3) */

/* Whether a failure is also printed as JSON on stdout (--json). */
void	fail_json(int);

/*
 * warn/warnx: the first failure is the one --json reports; the first
 * argument is the exit status it goes with (NESCTL_EXIT_*): the code.
 */
void	fail_warn(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	fail_warnx(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	fail_vwarnx(int, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* err/errx: the same, then exit with that status. */
void	fail_err(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fail_errx(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/*
 * nesd's error object (borrowed; prefix may be NULL) as the failure:
 * "nesctl: [prefix: ]message[: data.detail]", and under --json the object
 * itself, code, message and data as nesd sent them.
 */
void	fail_reply(json_t *, const char *);

/*
 * What was done before the failure, as member key of the error object
 * (steals v): import's certificates, beside the file that failed.
 */
void	fail_attach(const char *, json_t *);

/* The end: under --json, a failure not yet printed goes to stdout. */
int	fail_exit(int);

#endif
