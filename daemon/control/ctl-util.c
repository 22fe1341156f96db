/* SPDX-License-Identifier: ISC */
/*
 * ctl-util.c - what every ctl-*.c file shares: reading an integer or a
 * certificate from params, the errors they all give (storage, no such
 * certificate), strings and TCKNs as JSON, who asked, and the parameter
 * lists several methods take.
 */

#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl.h"
#include "env.h"
#include "proto.h"
#include "store.h"
#include "tckn.h"

/* A fingerprint is 64 hex digits; a prefix of fewer than 6 is too vague. */
#define CTL_PREFIX_MIN	6
#define CTL_PREFIX_MAX	64

const struct ctl_param ctl_p_none[] = {
	{ NULL, 0, 0 }
};
const struct ctl_param ctl_p_limit[] = {
	{ "limit", CTL_P_INT, 0 },
	{ NULL, 0, 0 }
};

/* A string or null; text from certificates may not be valid UTF-8. */
json_t *
ctl_str(const char *s)
{
	if (s == NULL)
		return (json_null());
	return (proto_string(s));
}

/* A TCKN, masked unless revealed; null when there is none. */
json_t *
ctl_tckn(const char *tckn, int reveal)
{
	char	 masked[TCKN_BUFSZ];

	if (tckn == NULL)
		return (json_null());
	if (reveal)
		return (json_string(tckn));
	tckn_mask(tckn, masked, sizeof(masked));
	return (json_string(masked));
}

/* "uid 1000": who asked, for histories and acknowledgements. */
void
ctl_actor(const struct ctl_req *req, char *buf, size_t len)
{
	snprintf(buf, len, "uid %ld", (long)req->uid);
}

/* Fail the request with the store's last error; returns NULL. */
json_t *
ctl_storage_error(struct ctl_req *req)
{
	return (ctl_error(req, PROTO_E_STORAGE, NULL, "storage error: %s",
	    store_error(env->store)));
}

/*
 * Fail the request: no certificate is the one parameter name gave (as the
 * string given, or id); returns NULL.
 */
json_t *
ctl_no_cert(struct ctl_req *req, const char *name, int64_t id)
{
	json_t	*v = json_object_get(req->params, name);

	if (json_is_string(v))
		return (ctl_error(req, PROTO_E_NOT_FOUND, NULL, "no such "
		    "certificate: %s", json_string_value(v)));
	return (ctl_error(req, PROTO_E_NOT_FOUND, NULL, "no such certificate: "
	    "%lld", (long long)id));
}

/* An integer in range from params, or def; -1 with the error set. */
int
ctl_int_param(struct ctl_req *req, const char *name, int def, int min,
    int max, int *out)
{
	json_t	*v = json_object_get(req->params, name);

	*out = def;
	if (v == NULL)
		return (0);
	if (json_integer_value(v) < min || json_integer_value(v) > max) {
		ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}", "param",
		    name), "parameter \"%s\" must be from %d to %d", name, min,
		    max);
		return (-1);
	}
	*out = (int)json_integer_value(v);
	return (0);
}

/*
 * s as a fingerprint prefix: its hex digits in lower case, colons left
 * out, into prefix (CTL_PREFIX_MAX + 1 bytes). 0, or -1 when s holds
 * anything else or too few or too many digits.
 */
static int
ctl_prefix(const char *s, char *prefix)
{
	size_t	 i, n = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ':')
			continue;
		if (!isxdigit((unsigned char)s[i]) || n == CTL_PREFIX_MAX)
			return (-1);
		prefix[n++] = tolower((unsigned char)s[i]);
	}
	prefix[n] = '\0';
	return (n >= CTL_PREFIX_MIN ? 0 : -1);
}

/*
 * The certificate parameter name names: an integer, a string of decimal
 * digits, or a prefix of at least 6 hex digits of the fingerprint (colons
 * allowed). 0 with *id set (0 when the parameter is absent, -1 when no
 * certificate has the prefix), or -1 with the error set.
 */
static int
ctl_cert_param(struct ctl_req *req, const char *name, int64_t *id)
{
	json_t		*v = json_object_get(req->params, name);
	const char	*s;
	char		 prefix[CTL_PREFIX_MAX + 1];
	int64_t		 ids[2];
	size_t		 len;
	int		 n;

	*id = 0;
	if (v == NULL || json_is_integer(v)) {
		*id = v != NULL ? json_integer_value(v) : 0;
		return (0);
	}
	s = json_string_value(v);
	len = strlen(s);
	if (len > 0 && len < 19 && strspn(s, "0123456789") == len) {
		*id = strtoll(s, NULL, 10);
		return (0);
	}
	if (ctl_prefix(s, prefix) != 0) {
		ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}", "param",
		    name), "\"%s\" is neither a certificate id nor a "
		    "fingerprint prefix of at least 6 hex digits", s);
		return (-1);
	}
	if ((n = store_cert_find_prefix(env->store, prefix, ids)) < 0) {
		ctl_storage_error(req);
		return (-1);
	}
	if (n == 2) {
		ctl_error(req, PROTO_E_AMBIGUOUS, NULL, "fingerprint prefix %s "
		    "matches more than one certificate; give more digits", s);
		return (-1);
	}
	*id = n == 1 ? ids[0] : -1;
	return (0);
}

/*
 * The certificate the "id" parameter names (see ctl_cert_param): 0 with
 * *id set (-1 when no certificate has the prefix), or -1 with the error
 * set.
 */
int
ctl_resolve(struct ctl_req *req, int64_t *id)
{
	return (ctl_cert_param(req, "id", id));
}

/*
 * The certificate the "cert" parameter names, 0 when absent: 0 with *id
 * set, or -1 with the error set (a prefix no certificate has, too).
 */
int
ctl_resolve_cert(struct ctl_req *req, int64_t *id)
{
	if (ctl_cert_param(req, "cert", id) != 0)
		return (-1);
	if (*id == -1) {
		ctl_no_cert(req, "cert", *id);
		return (-1);
	}
	return (0);
}
