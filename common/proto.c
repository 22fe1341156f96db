/* SPDX-License-Identifier: ISC */
/*
 * proto.c - the control protocol's envelope: decoding a request line,
 * building reply lines, and the one table of error codes.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caltime.h"
#include "proto.h"
#include "xmalloc.h"

static const struct proto_error {
	int		 code;
	const char	*name;
	const char	*message;
} proto_errors[] = {
	{ PROTO_E_PARSE, "parse_error", "request is not valid JSON" },
	{ PROTO_E_INVALID, "invalid_request", "not a JSON-RPC 2.0 request" },
	{ PROTO_E_NO_METHOD, "method_not_found", "no such method" },
	{ PROTO_E_PARAMS, "invalid_params", "invalid parameters" },
	{ PROTO_E_INTERNAL, "internal_error", "internal error" },
	{ PROTO_E_DENIED, "not_permitted", "operation not permitted" },
	{ PROTO_E_NOT_FOUND, "not_found", "no such certificate" },
	{ PROTO_E_BAD_CERT, "bad_certificate", "not a certificate" },
	{ PROTO_E_VERSION, "protocol_mismatch", "protocol version mismatch" },
	{ PROTO_E_STORAGE, "storage_error", "storage error" },
	{ PROTO_E_AMBIGUOUS, "ambiguous", "ambiguous identifier" },
	{ PROTO_E_TOO_LONG, "line_too_long", "request line too long" },
	{ PROTO_E_BUSY, "busy", "too many connections" },
	{ PROTO_E_DISABLED, "disabled", "disabled in the configuration" },
	{ PROTO_E_STATE, "bad_state", "not allowed in this state" },
};

static const struct proto_error *
proto_error_find(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(proto_errors) / sizeof(proto_errors[0]); i++)
		if (proto_errors[i].code == code)
			return (&proto_errors[i]);
	return (NULL);
}

const char *
proto_error_name(int code)
{
	const struct proto_error *e = proto_error_find(code);

	return (e == NULL ? NULL : e->name);
}

const char *
proto_error_message(int code)
{
	const struct proto_error *e = proto_error_find(code);

	return (e == NULL ? NULL : e->message);
}

/* A usable JSON-RPC id: a string, an integer or null. */
static int
proto_id_ok(json_t *id)
{
	return (json_is_string(id) || json_is_integer(id) || json_is_null(id));
}

int
proto_request_decode(const char *line, size_t len, struct proto_request *req,
    char **cause)
{
	json_error_t	 jerr;
	json_t		*root, *v, *id;

	memset(req, 0, sizeof(*req));
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (root == NULL) {
		xasprintf(cause, "not valid JSON: %s at column %d", jerr.text,
		    jerr.column);
		return (PROTO_E_PARSE);
	}
	req->root = root;
	if (!json_is_object(root)) {
		xasprintf(cause, "a request must be a JSON object");
		return (PROTO_E_INVALID);
	}
	id = json_object_get(root, "id");
	if (id != NULL && proto_id_ok(id))
		req->id = id;
	v = json_object_get(root, "jsonrpc");
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0) {
		xasprintf(cause, "\"jsonrpc\" must be \"2.0\"");
		return (PROTO_E_INVALID);
	}
	if (id != NULL && !proto_id_ok(id)) {
		xasprintf(cause, "\"id\" must be a string, an integer or null");
		return (PROTO_E_INVALID);
	}
	v = json_object_get(root, "method");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		xasprintf(cause, "\"method\" must be a non-empty string");
		return (PROTO_E_INVALID);
	}
	req->method = json_string_value(v);
	v = json_object_get(root, "params");
	if (v == NULL || json_is_null(v))
		req->params = json_object();
	else if (json_is_object(v))
		req->params = json_incref(v);
	else {
		xasprintf(cause, "\"params\" must be an object (named "
		    "parameters)");
		return (PROTO_E_PARAMS);
	}
	return (0);
}

void
proto_request_clear(struct proto_request *req)
{
	json_decref(req->params);
	json_decref(req->root);
	memset(req, 0, sizeof(*req));
}

char *
proto_dump_line(json_t *v)
{
	char	*s, *line;
	size_t	 len;

	s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	if (s == NULL)
		return (NULL);
	len = strlen(s);
	line = xmalloc(len + 2);
	memcpy(line, s, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	free(s);
	return (line);
}

/* Steals params. */
char *
proto_request_line(json_int_t id, const char *method, json_t *params)
{
	json_t	*root;
	char	*line;

	root = json_pack("{s:s, s:I, s:s}", "jsonrpc", "2.0", "id", id,
	    "method", method);
	if (params != NULL)
		json_object_set_new(root, "params", params);
	line = proto_dump_line(root);
	json_decref(root);
	return (line);
}

/* Steals result; id is borrowed and may be NULL (answered as null). */
char *
proto_result_line(json_t *id, json_t *result)
{
	json_t	*root;
	char	*line;

	root = json_pack("{s:s, s:O?, s:o}", "jsonrpc", "2.0", "id", id,
	    "result", result != NULL ? result : json_null());
	line = proto_dump_line(root);
	json_decref(root);
	return (line);
}

/* A JSON string of s; bytes that are not valid UTF-8 become '?'. */
json_t *
proto_string(const char *s)
{
	json_t	*v;
	char	*copy, *p;

	if ((v = json_string(s)) != NULL)
		return (v);
	copy = xstrdup(s);
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return (v);
}

/*
 * Steals data (an object or NULL); data.name is set from the table. A NULL
 * message takes the table's English one.
 */
char *
proto_error_line(json_t *id, int code, const char *message, json_t *data)
{
	json_t		*root, *err;
	const char	*name;
	char		*line;

	if (message == NULL)
		message = proto_error_message(code);
	if (message == NULL)
		message = "error";
	if (data == NULL)
		data = json_object();
	name = proto_error_name(code);
	if (name != NULL && json_object_get(data, "name") == NULL)
		json_object_set_new(data, "name", json_string(name));
	err = json_pack("{s:i, s:o, s:o}", "code", code, "message",
	    proto_string(message), "data", data);
	root = json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id",
	    id != NULL ? id : json_null(), "error", err);
	line = proto_dump_line(root);
	json_decref(root);
	return (line);
}

void
proto_time(json_t *obj, const char *key, time_t t)
{
	char	 iso[32], *k;

	json_object_set_new(obj, key, json_integer(t));
	xasprintf(&k, "%s_iso", key);
	caltime_iso(t, iso, sizeof(iso));
	json_object_set_new(obj, k, json_string(iso));
	free(k);
}
