/* SPDX-License-Identifier: ISC */
/*
 * control_fuzz.c - a libFuzzer harness for what a client writes on the
 * control socket: the input is a stream of bytes cut into lines by
 * libevent's evbuffer_readln (EVBUFFER_EOL_LF, as control.c reads), each
 * line up to PROTO_MAX_LINE decoded by proto_request_decode (the JSON-RPC
 * envelope), and answered as control.c would: an error line for a line
 * that does not decode, else a result line echoing the params, both made
 * by common/proto.c. tests/regress/fuzz.sh builds it with clang
 * -fsanitize=fuzzer, or with replay.c as its main under another compiler.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The reply must be one line of JSON that parses again. */
static void
fuzz_check_line(char *line)
{
	json_error_t	 err;
	json_t		*j;
	size_t		 len;

	if (line == NULL)
		abort();
	len = strlen(line);
	if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n',
	    len - 1) != NULL)
		abort();
	if ((j = json_loadb(line, len - 1, 0, &err)) == NULL)
		abort();
	json_decref(j);
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_request	 pr;
	struct evbuffer		*in;
	char			*line, *cause;
	size_t			 len;
	int			 rc;

	if ((in = evbuffer_new()) == NULL)
		abort();
	evbuffer_add(in, data, size);
	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > 0 && len <= PROTO_MAX_LINE) {
			cause = NULL;
			rc = proto_request_decode(line, len, &pr, &cause);
			if (rc != 0) {
				if (cause == NULL)
					abort();
				fuzz_check_line(proto_error_line(pr.id, rc,
				    cause, NULL));
				free(cause);
			} else {
				if (pr.method == NULL ||
				    !json_is_object(pr.params))
					abort();
				fuzz_check_line(proto_result_line(pr.id,
				    json_pack("{s:O, s:o}", "params",
				    pr.params, "method",
				    proto_string(pr.method))));
			}
			proto_request_clear(&pr);
		}
		free(line);
	}
	evbuffer_free(in);
	return (0);
}
