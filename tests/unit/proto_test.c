/* SPDX-License-Identifier: ISC */
/*
 * proto_test.c - unit tests for common/proto.c: decoding request lines
 * into the JSON-RPC 2.0 envelope (and which error each bad line earns),
 * reply and error lines that stay on one line whatever they carry, and
 * the table of error codes, names and messages (spec.md, Protocol).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "proto.h"
#include "unit.h"

/* Every code of proto.h with the name spec.md gives it. */
static const struct {
	int		 code;
	const char	*name;
} codes[] = {
	{ PROTO_E_PARSE, "parse_error" },
	{ PROTO_E_INVALID, "invalid_request" },
	{ PROTO_E_NO_METHOD, "method_not_found" },
	{ PROTO_E_PARAMS, "invalid_params" },
	{ PROTO_E_INTERNAL, "internal_error" },
	{ PROTO_E_DENIED, "not_permitted" },
	{ PROTO_E_NOT_FOUND, "not_found" },
	{ PROTO_E_BAD_CERT, "bad_certificate" },
	{ PROTO_E_VERSION, "protocol_mismatch" },
	{ PROTO_E_STORAGE, "storage_error" },
	{ PROTO_E_AMBIGUOUS, "ambiguous" },
	{ PROTO_E_TOO_LONG, "line_too_long" },
	{ PROTO_E_BUSY, "busy" },
	{ PROTO_E_DISABLED, "disabled" },
	{ PROTO_E_STATE, "bad_state" },
};
#define NCODES	(sizeof codes / sizeof codes[0])

/* Strings that must not break a line. */
static const char *nasty[] = {
	"two\nlines",
	"carriage\r\nreturn",
	"\n",
	"tab\there",
	"quote \" and backslash \\",
	"AY\xc5\x9e" "E YILMAZ",			/* UTF-8 */
	"line\xe2\x80\xa8separator\xe2\x80\xa9para",	/* U+2028, U+2029 */
	"nul-free \x01\x1f control",
	"",
};
#define NNASTY	(sizeof nasty / sizeof nasty[0])

/* Decode s; the return value, with req filled and cause freed. */
static int
decode(const char *s, struct proto_request *req)
{
	char	*cause = NULL;
	int	 rv;

	rv = proto_request_decode(s, strlen(s), req, &cause);
	if (rv == 0)
		ck_assert_msg(cause == NULL, "cause \"%s\" on success", cause);
	else
		ck_assert_msg(cause != NULL && *cause != '\0',
		    "error %d without a cause for %s", rv, s);
	free(cause);
	return (rv);
}

/*
 * line is one compact JSON object followed by exactly one "\n": no other
 * newline or carriage return anywhere. Returns the parsed object.
 */
static json_t *
one_line(const char *line)
{
	json_error_t	 jerr;
	json_t		*root;
	size_t		 len;

	ck_assert_ptr_nonnull(line);
	len = strlen(line);
	ck_assert_uint_gt(len, 1);
	ck_assert_msg(line[len - 1] == '\n', "no final newline: %s", line);
	ck_assert_msg(strchr(line, '\n') == line + len - 1,
	    "newline inside: %s", line);
	ck_assert_msg(strchr(line, '\r') == NULL, "carriage return: %s", line);
	root = json_loadb(line, len - 1, 0, &jerr);
	ck_assert_msg(root != NULL, "not JSON (%s): %s", jerr.text, line);
	ck_assert(json_is_object(root));
	ck_assert_str_eq(json_string_value(json_object_get(root, "jsonrpc")),
	    "2.0");
	return (root);
}

START_TEST(test_decode_request)
{
	struct proto_request	req;

	ck_assert_int_eq(decode("{\"jsonrpc\":\"2.0\",\"id\":7,"
	    "\"method\":\"cert.show\",\"params\":{\"id\":3}}", &req), 0);
	ck_assert_ptr_nonnull(req.id);
	ck_assert(json_is_integer(req.id));
	ck_assert_int_eq(json_integer_value(req.id), 7);
	ck_assert_str_eq(req.method, "cert.show");
	ck_assert(json_is_object(req.params));
	ck_assert_int_eq(json_integer_value(json_object_get(req.params, "id")),
	    3);
	ck_assert_uint_eq(json_object_size(req.params), 1);
	proto_request_clear(&req);
}
END_TEST

/* Members in any order; a string id; whitespace between tokens. */
START_TEST(test_decode_request_forms)
{
	struct proto_request	req;

	ck_assert_int_eq(decode(" { \"params\" : {} , \"method\" : "
	    "\"status\" , \"id\" : \"a-1\" , \"jsonrpc\" : \"2.0\" } ", &req),
	    0);
	ck_assert(json_is_string(req.id));
	ck_assert_str_eq(json_string_value(req.id), "a-1");
	ck_assert_str_eq(req.method, "status");
	ck_assert(json_is_object(req.params));
	ck_assert_uint_eq(json_object_size(req.params), 0);
	proto_request_clear(&req);
}
END_TEST

/* Without params, params is an empty object, never NULL. */
START_TEST(test_decode_no_params)
{
	struct proto_request	req;

	ck_assert_int_eq(decode("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"hello\"}", &req), 0);
	ck_assert_ptr_nonnull(req.params);
	ck_assert(json_is_object(req.params));
	ck_assert_uint_eq(json_object_size(req.params), 0);
	proto_request_clear(&req);
}
END_TEST

START_TEST(test_decode_notification)
{
	struct proto_request	req;

	ck_assert_int_eq(decode("{\"jsonrpc\":\"2.0\",\"method\":\"status\","
	    "\"params\":{}}", &req), 0);
	ck_assert_ptr_null(req.id);
	ck_assert_str_eq(req.method, "status");
	proto_request_clear(&req);
}
END_TEST

/* Only len bytes are read: what follows is not part of the line. */
START_TEST(test_decode_len)
{
	static const char	 line[] = "{\"jsonrpc\":\"2.0\",\"id\":2,"
	    "\"method\":\"status\"}GARBAGE";
	struct proto_request	 req;
	char			*cause = NULL;

	ck_assert_int_eq(proto_request_decode(line, strlen(line) - 7, &req,
	    &cause), 0);
	ck_assert_str_eq(req.method, "status");
	proto_request_clear(&req);
	ck_assert_int_eq(proto_request_decode(line, strlen(line), &req,
	    &cause), PROTO_E_PARSE);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	proto_request_clear(&req);
}
END_TEST

START_TEST(test_decode_not_json)
{
	static const char *lines[] = {
		"", "{", "hello", "{\"jsonrpc\":\"2.0\",}", "{'a':1}",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"",
		"\xff\xfe", "{\"a\":\"\xc3\x28\"}", "nul",
	};
	struct proto_request	req;
	size_t			i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		ck_assert_msg(decode(lines[i], &req) == PROTO_E_PARSE,
		    "not a parse error: %s", lines[i]);
		ck_assert_ptr_null(req.id);
		proto_request_clear(&req);
	}
}
END_TEST

/* Valid JSON that is not a request object: a batch, a scalar. */
START_TEST(test_decode_not_object)
{
	static const char *lines[] = {
		"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}]",
		"[]", "[1]",
	};
	struct proto_request	req;
	size_t			i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		ck_assert_msg(decode(lines[i], &req) == PROTO_E_INVALID,
		    "not an invalid request: %s", lines[i]);
		ck_assert_ptr_null(req.id);
		proto_request_clear(&req);
	}
}
END_TEST

/* JSON texts may be scalars (RFC 8259): valid JSON, invalid request. */
START_TEST(test_decode_scalar)
{
	static const char *lines[] = {
		"42", "\"status\"", "null", "true",
	};
	struct proto_request	req;
	size_t			i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		ck_assert_msg(decode(lines[i], &req) == PROTO_E_INVALID,
		    "not an invalid request: %s", lines[i]);
		ck_assert_ptr_null(req.id);
		proto_request_clear(&req);
	}
}
END_TEST

/* Bad envelopes: -32600, with the id kept to answer the error. */
START_TEST(test_decode_invalid)
{
	static const char *lines[] = {
		"{\"id\":7,\"method\":\"status\"}",
		"{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"status\"}",
		"{\"jsonrpc\":2.0,\"id\":7,\"method\":\"status\"}",
		"{\"jsonrpc\":null,\"id\":7,\"method\":\"status\"}",
		"{\"jsonrpc\":\"2.0 \",\"id\":7,\"method\":\"status\"}",
		"{\"jsonrpc\":\"2.0\",\"id\":7}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":42}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":null}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":[\"status\"]}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":{}}",
	};
	struct proto_request	req;
	size_t			i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		ck_assert_msg(decode(lines[i], &req) == PROTO_E_INVALID,
		    "not an invalid request: %s", lines[i]);
		ck_assert_msg(req.id != NULL && json_is_integer(req.id) &&
		    json_integer_value(req.id) == 7, "id lost: %s", lines[i]);
		proto_request_clear(&req);
	}
}
END_TEST

/* A string id is kept too. */
START_TEST(test_decode_invalid_string_id)
{
	struct proto_request	req;

	ck_assert_int_eq(decode("{\"jsonrpc\":\"1.0\",\"id\":\"abc\","
	    "\"method\":\"status\"}", &req), PROTO_E_INVALID);
	ck_assert_ptr_nonnull(req.id);
	ck_assert_str_eq(json_string_value(req.id), "abc");
	proto_request_clear(&req);
}
END_TEST

/* An id that is neither a string, a number nor null is not usable. */
START_TEST(test_decode_bad_id)
{
	static const char *lines[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"status\"}",
		"{\"jsonrpc\":\"2.0\",\"id\":[7],\"method\":\"status\"}",
		"{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"status\"}",
	};
	struct proto_request	req;
	size_t			i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		ck_assert_msg(decode(lines[i], &req) == PROTO_E_INVALID,
		    "not an invalid request: %s", lines[i]);
		ck_assert_msg(req.id == NULL || json_is_null(req.id),
		    "unusable id kept: %s", lines[i]);
		proto_request_clear(&req);
	}
}
END_TEST

/* params must be an object (named params); the id is kept. */
START_TEST(test_decode_params)
{
	static const char *lines[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cert.show\","
		    "\"params\":[3]}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cert.show\","
		    "\"params\":[]}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cert.show\","
		    "\"params\":\"3\"}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cert.show\","
		    "\"params\":3}",
		"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"cert.show\","
		    "\"params\":true}",
	};
	struct proto_request	req;
	size_t			i;
	int			rv;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		rv = decode(lines[i], &req);
		/* -32602 per spec.md; -32600 would also be JSON-RPC. */
		ck_assert_msg(rv == PROTO_E_PARAMS || rv == PROTO_E_INVALID,
		    "error %d for %s", rv, lines[i]);
		ck_assert_msg(req.id != NULL && json_is_integer(req.id) &&
		    json_integer_value(req.id) == 7, "id lost: %s", lines[i]);
		proto_request_clear(&req);
	}
	/* The implementation's choice, documented here. */
	ck_assert_int_eq(decode(lines[0], &req), PROTO_E_PARAMS);
	proto_request_clear(&req);
}
END_TEST

/* Clearing twice, or after a failed decode, is safe. */
START_TEST(test_clear)
{
	struct proto_request	req;

	ck_assert_int_eq(decode("[1]", &req), PROTO_E_INVALID);
	proto_request_clear(&req);
	proto_request_clear(&req);
	ck_assert_int_eq(decode("{", &req), PROTO_E_PARSE);
	proto_request_clear(&req);
	ck_assert_int_eq(decode("{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"method\":\"status\"}", &req), 0);
	proto_request_clear(&req);
	proto_request_clear(&req);
}
END_TEST

START_TEST(test_request_line)
{
	struct proto_request	 req;
	json_t			*root;
	char			*line;

	line = proto_request_line(5, "cert.show",
	    json_pack("{s:i, s:s}", "id", 3, "note", "a\nb"));
	root = one_line(line);
	ck_assert_int_eq(json_integer_value(json_object_get(root, "id")), 5);
	ck_assert_str_eq(json_string_value(json_object_get(root, "method")),
	    "cert.show");
	json_decref(root);
	/* What the client sends, the daemon decodes. */
	ck_assert_int_eq(decode(line, &req), 0);
	ck_assert_int_eq(json_integer_value(req.id), 5);
	ck_assert_str_eq(req.method, "cert.show");
	ck_assert_str_eq(json_string_value(json_object_get(req.params,
	    "note")), "a\nb");
	proto_request_clear(&req);
	free(line);

	line = proto_request_line(6, "status", NULL);
	ck_assert_int_eq(decode(line, &req), 0);
	ck_assert_uint_eq(json_object_size(req.params), 0);
	proto_request_clear(&req);
	free(line);
}
END_TEST

START_TEST(test_result_line)
{
	json_t	*id, *root, *result;
	char	*line;
	size_t	 i;

	id = json_integer(7);
	for (i = 0; i < NNASTY; i++) {
		result = json_pack("{s:s, s:[s], s:{s:s}}", "text", nasty[i],
		    "list", nasty[i], "obj", "k", nasty[i]);
		ck_assert_ptr_nonnull(result);
		line = proto_result_line(id, result);
		root = one_line(line);
		ck_assert_int_eq(json_integer_value(json_object_get(root,
		    "id")), 7);
		ck_assert_ptr_null(json_object_get(root, "error"));
		result = json_object_get(root, "result");
		ck_assert_str_eq(json_string_value(json_object_get(result,
		    "text")), nasty[i]);
		ck_assert_str_eq(json_string_value(json_array_get(
		    json_object_get(result, "list"), 0)), nasty[i]);
		json_decref(root);
		free(line);
	}
	json_decref(id);
}
END_TEST

/* A string id comes back as it was; a missing one as null. */
START_TEST(test_result_line_ids)
{
	json_t	*id, *root;
	char	*line;

	id = json_string("req\n1");
	line = proto_result_line(id, json_string("ok"));
	root = one_line(line);
	ck_assert_str_eq(json_string_value(json_object_get(root, "id")),
	    "req\n1");
	ck_assert_str_eq(json_string_value(json_object_get(root, "result")),
	    "ok");
	json_decref(root);
	free(line);
	json_decref(id);

	line = proto_result_line(NULL, json_object());
	root = one_line(line);
	ck_assert_ptr_nonnull(json_object_get(root, "id"));
	ck_assert(json_is_null(json_object_get(root, "id")));
	json_decref(root);
	free(line);
}
END_TEST

/* Every code: data.name from the table; the message as given. */
START_TEST(test_error_line)
{
	json_t	*id, *root, *err;
	char	*line;
	size_t	 i, j;

	id = json_integer(9);
	for (i = 0; i < NCODES; i++) {
		for (j = 0; j < NNASTY; j++) {
			line = proto_error_line(id, codes[i].code, nasty[j],
			    NULL);
			root = one_line(line);
			ck_assert_int_eq(json_integer_value(
			    json_object_get(root, "id")), 9);
			ck_assert_ptr_null(json_object_get(root, "result"));
			err = json_object_get(root, "error");
			ck_assert(json_is_object(err));
			ck_assert_int_eq(json_integer_value(
			    json_object_get(err, "code")), codes[i].code);
			ck_assert_str_eq(json_string_value(
			    json_object_get(err, "message")), nasty[j]);
			ck_assert_str_eq(json_string_value(json_object_get(
			    json_object_get(err, "data"), "name")),
			    proto_error_name(codes[i].code));
			json_decref(root);
			free(line);
		}
	}
	json_decref(id);
}
END_TEST

/* Extra data is kept beside the name; a null id stays a null id. */
START_TEST(test_error_line_data)
{
	json_t	*root, *data;
	char	*line;

	line = proto_error_line(NULL, PROTO_E_VERSION, "protocol 2 is not 1",
	    json_pack("{s:i}", "protocol", 1));
	root = one_line(line);
	ck_assert_ptr_nonnull(json_object_get(root, "id"));
	ck_assert(json_is_null(json_object_get(root, "id")));
	data = json_object_get(json_object_get(root, "error"), "data");
	ck_assert_str_eq(json_string_value(json_object_get(data, "name")),
	    "protocol_mismatch");
	ck_assert_int_eq(json_integer_value(json_object_get(data,
	    "protocol")), 1);
	json_decref(root);
	free(line);
}
END_TEST

/* No message: the table's English one. */
START_TEST(test_error_line_default_message)
{
	json_t	*root, *err;
	char	*line;
	size_t	 i;

	for (i = 0; i < NCODES; i++) {
		line = proto_error_line(NULL, codes[i].code, NULL, NULL);
		root = one_line(line);
		err = json_object_get(root, "error");
		ck_assert_str_eq(json_string_value(json_object_get(err,
		    "message")), proto_error_message(codes[i].code));
		json_decref(root);
		free(line);
	}
}
END_TEST

/* A message that is not UTF-8 (from a file name, say) still makes a line. */
START_TEST(test_error_line_bad_utf8)
{
	json_t	*root, *err;
	char	*line;

	line = proto_error_line(NULL, PROTO_E_BAD_CERT,
	    "/tmp/\xff\xfe.pem: not a certificate\n", NULL);
	root = one_line(line);
	err = json_object_get(root, "error");
	ck_assert_int_eq(json_integer_value(json_object_get(err, "code")),
	    PROTO_E_BAD_CERT);
	ck_assert(json_is_string(json_object_get(err, "message")));
	json_decref(root);
	free(line);
}
END_TEST

START_TEST(test_dump_line)
{
	json_t	*v, *root;
	char	*line;

	v = json_pack("{s:s, s:s}", "jsonrpc", "2.0", "s", "a\nb\r\n");
	line = proto_dump_line(v);
	root = one_line(line);
	ck_assert_str_eq(json_string_value(json_object_get(root, "s")),
	    "a\nb\r\n");
	/* Compact: no space outside strings. */
	ck_assert_ptr_null(strchr(line, ' '));
	json_decref(root);
	json_decref(v);
	free(line);
}
END_TEST

START_TEST(test_error_table)
{
	const char	*name, *msg;
	size_t		 i, j;

	for (i = 0; i < NCODES; i++) {
		name = proto_error_name(codes[i].code);
		msg = proto_error_message(codes[i].code);
		ck_assert_msg(name != NULL, "code %d: no name", codes[i].code);
		ck_assert_str_eq(name, codes[i].name);
		ck_assert_msg(msg != NULL && *msg != '\0',
		    "code %d: no message", codes[i].code);
		ck_assert_msg(strchr(msg, '\n') == NULL,
		    "code %d: newline in message", codes[i].code);
		for (j = 0; j < i; j++)
			ck_assert_int_ne(codes[i].code, codes[j].code);
	}
}
END_TEST

START_TEST(test_error_unknown)
{
	static const int unknown[] = {
		0, 11, -1, -32000, -32099, -32604, -32699, 100, 32700,
	};
	size_t	i;

	for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		ck_assert_ptr_null(proto_error_name(unknown[i]));
		ck_assert_ptr_null(proto_error_message(unknown[i]));
	}
}
END_TEST

START_TEST(test_limits)
{
	ck_assert_int_eq(PROTO_VERSION, 1);
	ck_assert_int_eq(PROTO_MAX_LINE, 65536);
}
END_TEST

static Suite *
proto_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("proto");

	tc = tcase_create("decode");
	tcase_add_test(tc, test_decode_request);
	tcase_add_test(tc, test_decode_request_forms);
	tcase_add_test(tc, test_decode_no_params);
	tcase_add_test(tc, test_decode_notification);
	tcase_add_test(tc, test_decode_len);
	tcase_add_test(tc, test_decode_not_json);
	tcase_add_test(tc, test_decode_not_object);
	tcase_add_test(tc, test_decode_scalar);
	tcase_add_test(tc, test_decode_invalid);
	tcase_add_test(tc, test_decode_invalid_string_id);
	tcase_add_test(tc, test_decode_bad_id);
	tcase_add_test(tc, test_decode_params);
	tcase_add_test(tc, test_clear);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_test(tc, test_request_line);
	tcase_add_test(tc, test_result_line);
	tcase_add_test(tc, test_result_line_ids);
	tcase_add_test(tc, test_error_line);
	tcase_add_test(tc, test_error_line_data);
	tcase_add_test(tc, test_error_line_default_message);
	tcase_add_test(tc, test_error_line_bad_utf8);
	tcase_add_test(tc, test_dump_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("codes");
	tcase_add_test(tc, test_error_table);
	tcase_add_test(tc, test_error_unknown);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);

	return (s);
}

const struct unit_test unit_test = { proto_suite, NULL, NULL };
