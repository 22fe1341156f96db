/* SPDX-License-Identifier: ISC */
/*
 * x509_fuzz.c - a libFuzzer harness for certificate ingestion: the input
 * is a file as a folder, an import or a token hands it to x509_load
 * (PEM with any number of CERTIFICATE or PKCS7 blocks, a DER
 * certificate, a DER PKCS#7 bundle). Every certificate it returns must
 * be whole (fingerprint, DER, dates, a kind with a name) and must come
 * back the same through x509_pem and x509_parse_der; a refusal must say
 * why. tests/regress/fuzz.sh builds it.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "x509.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One certificate found: whole, and the same once more from its DER. */
static void
fuzz_check(const struct x509_info *x)
{
	struct x509_info	*again;
	char			*pem, *cause = NULL;

	if (strlen(x->fingerprint) != 64 || x->der == NULL ||
	    x->der_len == 0 || x->serial == NULL || x->subject == NULL ||
	    x->issuer == NULL || x509_kind_name(x->kind) == NULL)
		abort();
	if ((again = x509_parse_der(x->der, x->der_len, &cause)) == NULL ||
	    strcmp(again->fingerprint, x->fingerprint) != 0 ||
	    again->not_after != x->not_after || again->kind != x->kind)
		abort();
	x509_info_free(again);
	if ((pem = x509_pem(x)) == NULL ||
	    strncmp(pem, "-----BEGIN CERTIFICATE-----", 27) != 0)
		abort();
	free(pem);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x509_info	**list = NULL;
	char			*cause = NULL;
	int			 i, n;

	n = x509_load(data, size, &list, &cause);
	if (n < 0) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		return (0);
	}
	if (cause != NULL || (n > 0 && list == NULL))
		abort();
	for (i = 0; i < n; i++)
		fuzz_check(list[i]);
	x509_list_free(list, n);
	return (0);
}
