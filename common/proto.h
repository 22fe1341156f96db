/*
 * proto.h - the control protocol shared by nesd and nesctl: JSON-RPC 2.0,
 * one compact JSON object per line over a Unix stream socket.
 */
#ifndef NES_PROTO_H
#define NES_PROTO_H

#include <stddef.h>

#include <time.h>

#include <jansson.h>

/*
 * Bump PROTO_VERSION on any incompatible change to a method, field or code.
 * New methods, new result fields and new error codes do not bump it.
 */
#define PROTO_VERSION	1

/* Longest request line the daemon reads, newline excluded. */
#define PROTO_MAX_LINE	(64 * 1024)

/* JSON-RPC 2.0's own codes. */
#define PROTO_E_PARSE		-32700
#define PROTO_E_INVALID		-32600
#define PROTO_E_NO_METHOD	-32601
#define PROTO_E_PARAMS		-32602
#define PROTO_E_INTERNAL	-32603

/* nesd's own codes, outside the reserved range; never renumber one. */
#define PROTO_E_DENIED		1
#define PROTO_E_NOT_FOUND	2
#define PROTO_E_BAD_CERT	3
#define PROTO_E_VERSION		4
#define PROTO_E_STORAGE		5
#define PROTO_E_AMBIGUOUS	6
#define PROTO_E_TOO_LONG	7
#define PROTO_E_BUSY		8
#define PROTO_E_DISABLED	9
#define PROTO_E_STATE		10

/* Stable name ("not_found") and English message of a code, or NULL. */
const char	*proto_error_name(int);
const char	*proto_error_message(int);

/* A decoded request line. */
struct proto_request {
	json_t		*id;		/* NULL for a notification */
	const char	*method;
	json_t		*params;	/* always an object, maybe empty */
	json_t		*root;		/* owns the above */
};

/*
 * Decode one request line. Returns 0 and fills req, or returns the
 * JSON-RPC error code with *cause set (and req->id set when the line had a
 * usable id, so the error can answer it).
 */
int	 proto_request_decode(const char *, size_t, struct proto_request *,
	    char **);
void	 proto_request_clear(struct proto_request *);

/* Build a compact request, reply or error line, with trailing newline. */
char	*proto_request_line(json_int_t, const char *, json_t *);
char	*proto_result_line(json_t *, json_t *);
char	*proto_error_line(json_t *, int, const char *, json_t *);

/* A JSON string; bytes that are not valid UTF-8 become '?'. */
json_t	*proto_string(const char *);

/* The line of a JSON value, compact, newline-terminated, allocated. */
char	*proto_dump_line(json_t *);
/* obj[key] = epoch seconds and obj[key_iso] = the ISO 8601 string. */
void	 proto_time(json_t *, const char *, time_t);

#endif
