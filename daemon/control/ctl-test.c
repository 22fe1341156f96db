/* SPDX-License-Identifier: ISC */
/*
 * ctl-test.c - the test suite's hooks, and only they: NESD_TEST_NOW (where
 * nesd's clock starts), NESD_TEST_HOOKS (whether the methods below may be
 * called) and the methods test.clock (move the clock) and test.cert_status
 * (play an OCSP answer to the cases). Built only with ./configure
 * --enable-test-hooks (ENABLE_TEST_HOOKS): a default or packaged nesd has
 * none of them, not even their names.
 *
 * The tests drive time this way, not with libfaketime, whose timerfd never
 * sees a faked clock move.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "control.h"
#include "ctl.h"
#include "log.h"
#include "proto.h"
#include "renewal.h"
#include "scheduler.h"

/* NESD_TEST_HOOKS was set at start: the test.* methods may be called. */
static int	 ctl_test_on;

/*
 * Read the environment, once at start: NESD_TEST_NOW=EPOCH starts nesd's
 * clock there (it then runs on), NESD_TEST_HOOKS=1 lets test.* be called.
 */
void
ctl_test_start(void)
{
	const char	*v;
	char		*end;
	long long	 t;

	if ((v = getenv("NESD_TEST_NOW")) != NULL) {
		t = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || t <= 0)
			fatalx("NESD_TEST_NOW must be epoch seconds: %s", v);
		sched_clock_start((time_t)t);
	}
	ctl_test_on = getenv("NESD_TEST_HOOKS") != NULL;
}

/* 0, or -1 with the error set when NESD_TEST_HOOKS was not set. */
static int
ctl_test_allowed(struct ctl_req *req)
{
	if (ctl_test_on)
		return (0);
	ctl_error(req, PROTO_E_DENIED, NULL, "test hooks are off "
	    "(NESD_TEST_HOOKS is not set)");
	return (-1);
}

/* Move nesd's clock to params.now; what became due fires at once. */
static json_t *
ctl_test_clock(struct ctl_req *req)
{
	json_int_t	 now = json_integer_value(json_object_get(req->params,
	    "now"));

	if (ctl_test_allowed(req) != 0)
		return (NULL);
	if (now <= 0)
		return (ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
		    "param", "now"), "now must be epoch seconds"));
	sched_clock_set((time_t)now);
	return (json_pack("{s:I}", "now", (json_int_t)sched_now()));
}

/* Hand the cases an OCSP answer for a certificate, as the checker does. */
static json_t *
ctl_test_cert_status(struct ctl_req *req)
{
	const char	*status = json_string_value(json_object_get(
	    req->params, "status"));
	int64_t		 cert;

	if (ctl_test_allowed(req) != 0)
		return (NULL);
	if (strcmp(status, "good") != 0 && strcmp(status, "revoked") != 0 &&
	    strcmp(status, "on_hold") != 0)
		return (ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
		    "param", "status"), "status must be good, revoked or "
		    "on_hold"));
	if (ctl_resolve_cert(req, &cert) != 0)
		return (NULL);
	renewal_cert_status(cert, status);
	return (json_pack("{s:I, s:s}", "cert", (json_int_t)cert, "status",
	    status));
}

static const struct ctl_param ctl_p_clock[] = {
	{ "now", CTL_P_INT, 1 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_status[] = {
	{ "cert", CTL_P_ID, 1 },
	{ "status", CTL_P_STRING, 1 },
	{ NULL, 0, 0 }
};

const struct ctl_method ctl_test_methods[] = {
	{ "test.clock", CTL_CHANGES, ctl_p_clock, ctl_test_clock, 0 },
	{ "test.cert_status", CTL_CHANGES, ctl_p_status,
	  ctl_test_cert_status, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};
