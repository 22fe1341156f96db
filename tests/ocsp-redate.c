/* SPDX-License-Identifier: ISC */
/*
 * ocsp-redate.c - for the status regress tests: an OCSP response made by
 * `openssl ocsp` (which dates it now), dated again and signed again, to
 * make the stale and the not-yet-valid answers `openssl ocsp` cannot:
 *
 *   ocsp-redate IN OUT SIGNER_CERT SIGNER_KEY THIS NEXT
 *
 * sets producedAt and every thisUpdate to now + THIS seconds and every
 * nextUpdate to now + NEXT seconds (both may be negative), then signs
 * with SIGNER_KEY as SIGNER_CERT. Links libcrypto only.
 */

#include "autoconf.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>

/* Read a DER OCSP response from path. */
static OCSP_RESPONSE *
redate_read(const char *path)
{
	OCSP_RESPONSE	*resp;
	BIO		*bio;

	if ((bio = BIO_new_file(path, "rb")) == NULL)
		errx(1, "%s: cannot open", path);
	resp = d2i_OCSP_RESPONSE_bio(bio, NULL);
	BIO_free(bio);
	if (resp == NULL)
		errx(1, "%s: not an OCSP response", path);
	return (resp);
}

/* Set every date of bs relative to now. */
static void
redate_dates(OCSP_BASICRESP *bs, long this_off, long next_off)
{
	ASN1_GENERALIZEDTIME	*rev, *thisupd, *nextupd;
	OCSP_SINGLERESP		*single;
	time_t			 now = time(NULL);
	int			 i, reason;

	ASN1_GENERALIZEDTIME_set((ASN1_GENERALIZEDTIME *)
	    OCSP_resp_get0_produced_at(bs), now + this_off);
	for (i = 0; i < OCSP_resp_count(bs); i++) {
		single = OCSP_resp_get0(bs, i);
		thisupd = nextupd = NULL;
		OCSP_single_get0_status(single, &reason, &rev, &thisupd,
		    &nextupd);
		if (thisupd == NULL || nextupd == NULL)
			errx(1, "the response needs a thisUpdate and a "
			    "nextUpdate (openssl ocsp -nmin N)");
		ASN1_GENERALIZEDTIME_set(thisupd, now + this_off);
		ASN1_GENERALIZEDTIME_set(nextupd, now + next_off);
	}
}

int
main(int argc, char *argv[])
{
	OCSP_RESPONSE	*resp, *out;
	OCSP_BASICRESP	*bs;
	EVP_PKEY	*key;
	X509		*signer;
	BIO		*bio;

	if (argc != 7) {
		fprintf(stderr, "usage: ocsp-redate IN OUT SIGNER_CERT "
		    "SIGNER_KEY THIS NEXT\n");
		return (2);
	}
	resp = redate_read(argv[1]);
	if ((bs = OCSP_response_get1_basic(resp)) == NULL)
		errx(1, "%s: not a basic OCSP response", argv[1]);
	if ((bio = BIO_new_file(argv[3], "r")) == NULL ||
	    (signer = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL)
		errx(1, "%s: no certificate", argv[3]);
	BIO_free(bio);
	if ((bio = BIO_new_file(argv[4], "r")) == NULL ||
	    (key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)) == NULL)
		errx(1, "%s: no private key", argv[4]);
	BIO_free(bio);
	redate_dates(bs, strtol(argv[5], NULL, 10), strtol(argv[6], NULL, 10));
	/* The signer is in the response already: do not add it again. */
	if (!OCSP_basic_sign(bs, signer, key, EVP_sha256(), NULL,
	    OCSP_NOCERTS))
		errx(1, "cannot sign the response");
	out = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	if (out == NULL || (bio = BIO_new_file(argv[2], "wb")) == NULL ||
	    !i2d_OCSP_RESPONSE_bio(bio, out))
		errx(1, "%s: cannot write", argv[2]);
	BIO_free(bio);
	OCSP_RESPONSE_free(out);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	X509_free(signer);
	EVP_PKEY_free(key);
	return (0);
}
