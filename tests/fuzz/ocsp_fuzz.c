/* SPDX-License-Identifier: ISC */
/*
 * ocsp_fuzz.c - a libFuzzer harness for what a responder sends the status
 * checker: the first byte of an input chooses an OCSP response judged
 * without a nonce, one judged with a nonce, or a CRL; the rest is the
 * body, checked against a real certificate and issuer read from the
 * directory OCSP_FUZZ_PKI (tests/fixtures/ocsp-pki.sh's good.der and
 * www/ca.der). tests/regress/ocsp-fuzz.sh builds it with clang
 * -fsanitize=fuzzer, or with replay.c as its main under another compiler.
 */

#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/x509.h>

#include "ocsp-verify.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static X509			*fuzz_cert, *fuzz_issuer;
static struct ocsp_query	*fuzz_query, *fuzz_query_nonce;
static time_t			 fuzz_now;

/* One DER certificate from dir/name, or exit. */
static X509 *
fuzz_load(const char *dir, const char *name)
{
	unsigned char	 buf[16384];
	char		 path[1024];
	FILE		*f;
	size_t		 n;
	X509		*x;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "ocsp_fuzz: cannot open %s\n", path);
		exit(1);
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if ((x = ocsp_verify_x509(buf, n)) == NULL) {
		fprintf(stderr, "ocsp_fuzz: %s: not a DER certificate\n", path);
		exit(1);
	}
	return (x);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*dir = getenv("OCSP_FUZZ_PKI");

	if (dir == NULL) {
		fprintf(stderr, "ocsp_fuzz: set OCSP_FUZZ_PKI to a directory "
		    "made by tests/fixtures/ocsp-pki.sh\n");
		exit(1);
	}
	fuzz_cert = fuzz_load(dir, "good.der");
	fuzz_issuer = fuzz_load(dir, "www/ca.der");
	fuzz_query = ocsp_verify_query(fuzz_cert, fuzz_issuer, 0);
	fuzz_query_nonce = ocsp_verify_query(fuzz_cert, fuzz_issuer, 1);
	if (fuzz_query == NULL || fuzz_query_nonce == NULL) {
		fprintf(stderr, "ocsp_fuzz: cannot make the queries\n");
		exit(1);
	}
	/* The seeds are made just before: their dates hold now. */
	fuzz_now = time(NULL);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ocsp_result	 res;
	X509_CRL		*crl;

	if (size == 0)
		return (0);
	switch (data[0] % 3) {
	case 0:
		ocsp_verify_response(fuzz_query, data + 1, size - 1, fuzz_now,
		    300, 86400, &res);
		break;
	case 1:
		ocsp_verify_response(fuzz_query_nonce, data + 1, size - 1,
		    fuzz_now, 300, 86400, &res);
		break;
	default:
		crl = ocsp_verify_crl(data + 1, size - 1, fuzz_issuer, fuzz_now,
		    300, &res);
		if (crl != NULL) {
			ocsp_verify_crl_lookup(crl, fuzz_cert, &res);
			X509_CRL_free(crl);
		}
		break;
	}
	return (0);
}
