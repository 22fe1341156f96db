/* SPDX-License-Identifier: ISC */
/*
 * ocsp-verify.c - what an OCSP response or a CRL says of a certificate,
 * believed only once proven: the response parses whole, is signed by the
 * issuer or by a responder certificate the issuer gave id-kp-OCSPSigning,
 * answers our nonce when we sent one, is about our certificate, and is
 * current (thisUpdate not ahead of us, nextUpdate not behind us, each
 * within the tolerance). A CRL must be the issuer's, signed by its key,
 * complete (not a delta) and current. Certificates are parsed for what
 * nesd keeps of them in common/x509.c; here they are OpenSSL objects for
 * OpenSSL's OCSP and CRL code, and where they say their status is
 * published (AIA, CDP) is read from the same object, since decoding a
 * certificate is the dearest step of a check. Every input is hostile:
 * the fuzz harness feeds this file.
 */

#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "caltime.h"
#include "log.h"
#include "ocsp-verify.h"
#include "xmalloc.h"

struct ocsp_query {
	OCSP_REQUEST	*req;
	OCSP_CERTID	*id;		/* SHA-1, as responders expect */
	X509		*cert;
	X509		*issuer;
	int		 nonce;
};

void
ocsp_verify_fail(struct ocsp_result *res, enum ocsp_error error,
    const char *fmt, ...)
{
	va_list	 ap;

	res->status = OCSP_ERROR;
	res->error = error;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
}

/* OpenSSL's queued errors in words, "; " between, then clear. */
static void
ocsp_verify_ssl_error(char *buf, size_t size)
{
	const char	*data = NULL, *reason;
	unsigned long	 e;
	size_t		 len = 0;
	int		 flags = 0;

	buf[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0 &&
	    len < size) {
		if ((reason = ERR_reason_error_string(e)) == NULL)
			continue;
		len += snprintf(buf + len, size - len, "%s%s", len > 0 ?
		    "; " : "", reason);
		if (len < size && data != NULL && (flags & ERR_TXT_STRING) &&
		    *data != '\0')
			len += snprintf(buf + len, size - len, ": %s", data);
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "no reason given");
	ERR_clear_error();
}

/* An ASN.1 time as epoch seconds; 0 when absent or unreadable. */
static time_t
ocsp_verify_time(const ASN1_TIME *t)
{
	struct tm	 tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return (0);
	return (timegm(&tm));
}

/* Append the URI of gn, if it is one, to a list. */
static void
ocsp_verify_urls_add(char ***list, size_t *n, const GENERAL_NAME *gn)
{
	const ASN1_IA5STRING	*uri;

	if (gn->type != GEN_URI)
		return;
	uri = gn->d.uniformResourceIdentifier;
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = xstrndup((const char *)ASN1_STRING_get0_data(uri),
	    ASN1_STRING_length(uri));
}

/* The URIs of the distribution points' full names. */
static void
ocsp_verify_urls_cdp(X509 *x, struct ocsp_urls *u)
{
	STACK_OF(DIST_POINT)	*dps;
	DIST_POINT		*dp;
	GENERAL_NAMES		*names;
	int			 i, j;

	dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	for (i = 0; dps != NULL && i < sk_DIST_POINT_num(dps); i++) {
		dp = sk_DIST_POINT_value(dps, i);
		/* type 0 is a fullName; a name relative to the issuer is 1. */
		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		names = dp->distpoint->name.fullname;
		for (j = 0; j < sk_GENERAL_NAME_num(names); j++)
			ocsp_verify_urls_add(&u->crl, &u->ncrl,
			    sk_GENERAL_NAME_value(names, j));
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
}

void
ocsp_verify_urls(X509 *x, struct ocsp_urls *u)
{
	AUTHORITY_INFO_ACCESS	*aia;
	ACCESS_DESCRIPTION	*ad;
	int			 i, nid;

	memset(u, 0, sizeof(*u));
	aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	for (i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		nid = OBJ_obj2nid(ad->method);
		if (nid == NID_ad_OCSP)
			ocsp_verify_urls_add(&u->ocsp, &u->nocsp, ad->location);
		else if (nid == NID_ad_ca_issuers)
			ocsp_verify_urls_add(&u->ca_issuers, &u->nca_issuers,
			    ad->location);
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	ocsp_verify_urls_cdp(x, u);
	ERR_clear_error();
}

/* Free a list of n strings. */
static void
ocsp_verify_strings_free(char **list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
ocsp_verify_urls_clear(struct ocsp_urls *u)
{
	ocsp_verify_strings_free(u->ocsp, u->nocsp);
	ocsp_verify_strings_free(u->ca_issuers, u->nca_issuers);
	ocsp_verify_strings_free(u->crl, u->ncrl);
	memset(u, 0, sizeof(*u));
}

X509 *
ocsp_verify_x509(const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;

	return (d2i_X509(NULL, &p, (long)len));
}

int
ocsp_verify_issuer(X509 *cert, X509 *issuer)
{
	EVP_PKEY	*key;

	if (X509_check_issued(issuer, cert) != X509_V_OK)
		return (0);
	if ((key = X509_get0_pubkey(issuer)) == NULL)
		return (0);
	if (X509_verify(cert, key) != 1) {
		ERR_clear_error();
		return (0);
	}
	return (1);
}

struct ocsp_query *
ocsp_verify_query(X509 *cert, X509 *issuer, int nonce)
{
	struct ocsp_query	*q;
	OCSP_CERTID		*id;

	if ((id = OCSP_cert_to_id(NULL, cert, issuer)) == NULL) {
		ERR_clear_error();
		return (NULL);
	}
	q = xcalloc(1, sizeof(*q));
	q->id = id;
	if ((q->req = OCSP_REQUEST_new()) == NULL ||
	    OCSP_request_add0_id(q->req, OCSP_CERTID_dup(id)) == NULL ||
	    (nonce && !OCSP_request_add1_nonce(q->req, NULL, -1)))
		fatalx("%s: out of memory", __func__);
	q->nonce = nonce;
	X509_up_ref(cert);
	X509_up_ref(issuer);
	q->cert = cert;
	q->issuer = issuer;
	return (q);
}

void
ocsp_verify_query_free(struct ocsp_query *q)
{
	if (q == NULL)
		return;
	OCSP_REQUEST_free(q->req);
	OCSP_CERTID_free(q->id);
	X509_free(q->cert);
	X509_free(q->issuer);
	free(q);
}

unsigned char *
ocsp_verify_query_der(const struct ocsp_query *q, size_t *len)
{
	unsigned char	*der = NULL, *copy;
	int		 n;

	if ((n = i2d_OCSP_REQUEST(q->req, &der)) <= 0)
		fatalx("%s: cannot encode the request", __func__);
	copy = xmalloc(n);
	memcpy(copy, der, n);
	OPENSSL_free(der);
	*len = (size_t)n;
	return (copy);
}

/* Why buf is not the DER it should be: cut short, or not DER at all. */
static void
ocsp_verify_der_cause(const unsigned char *buf, size_t len, const char *what,
    struct ocsp_result *res)
{
	const unsigned char	*p = buf;
	long			 olen = 0;
	int			 tag, xclass, rc;

	if (len == 0) {
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "empty body, not "
		    "%s", what);
		return;
	}
	rc = ASN1_get_object(&p, &olen, &tag, &xclass, (long)len);
	ERR_clear_error();
	if (buf[0] == 0x30 && (rc & 0x80) && olen > 0)
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "truncated %s: %zu "
		    "bytes, its header announces %ld more", what, len,
		    olen - (long)(len - (size_t)(p - buf)));
	else if (buf[0] == 0x30 && (rc & 0x80))
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "truncated %s: "
		    "%zu bytes end inside its header", what, len);
	else
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "not %s (%zu "
		    "bytes that do not decode)", what, len);
}

/* The signature: by the issuer, or a responder it delegated to. */
static int
ocsp_verify_signer(const struct ocsp_query *q, OCSP_BASICRESP *bs,
    struct ocsp_result *res)
{
	X509_STORE	*store;
	STACK_OF(X509)	*certs;
	char		 why[240];
	int		 rc;

	if ((store = X509_STORE_new()) == NULL ||
	    (certs = sk_X509_new_null()) == NULL)
		fatalx("%s: out of memory", __func__);
	/* The issuer is the anchor, even when it is not a root. */
	X509_STORE_add_cert(store, q->issuer);
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	sk_X509_push(certs, q->issuer);
	ERR_clear_error();
	rc = OCSP_basic_verify(bs, certs, store, 0);
	if (rc <= 0) {
		ocsp_verify_ssl_error(why, sizeof(why));
		ocsp_verify_fail(res, OCSP_E_BAD_SIGNATURE, "not signed by the "
		    "issuer or a responder it delegated to (%s)", why);
	}
	sk_X509_free(certs);
	X509_STORE_free(store);
	return (rc > 0 ? 0 : -1);
}

/* Our nonce came back, when we sent one. */
static int
ocsp_verify_nonce(const struct ocsp_query *q, OCSP_BASICRESP *bs,
    struct ocsp_result *res)
{
	if (!q->nonce)
		return (0);
	switch (OCSP_check_nonce(q->req, bs)) {
	case 1:
		return (0);
	case -1:
		ocsp_verify_fail(res, OCSP_E_NONCE, "the response carries no "
		    "nonce (pre-produced or replayed); set nonce = no to "
		    "accept such responses");
		return (-1);
	default:
		ocsp_verify_fail(res, OCSP_E_NONCE, "the response's nonce is "
		    "not the one sent (replayed)");
		return (-1);
	}
}

/* A responder may name certificates by another hash than ours. */
static int
ocsp_verify_find_any_hash(const struct ocsp_query *q, OCSP_BASICRESP *bs)
{
	const OCSP_CERTID	*cid;
	ASN1_OBJECT		*alg = NULL;
	OCSP_CERTID		*mine;
	const EVP_MD		*md;
	int			 i, n = OCSP_resp_count(bs);

	for (i = 0; i < n; i++) {
		cid = OCSP_SINGLERESP_get0_id(OCSP_resp_get0(bs, i));
		if (!OCSP_id_get0_info(NULL, &alg, NULL, NULL,
		    (OCSP_CERTID *)cid) ||
		    (md = EVP_get_digestbyobj(alg)) == NULL)
			continue;
		mine = OCSP_cert_to_id(md, q->cert, q->issuer);
		if (mine != NULL && OCSP_id_cmp(mine, cid) == 0) {
			OCSP_CERTID_free(mine);
			return (i);
		}
		OCSP_CERTID_free(mine);
	}
	ERR_clear_error();
	return (-1);
}

/* The single response about our certificate, or NULL with res set. */
static OCSP_SINGLERESP *
ocsp_verify_find(const struct ocsp_query *q, OCSP_BASICRESP *bs,
    struct ocsp_result *res)
{
	ASN1_INTEGER	*serial = NULL;
	BIGNUM		*bn;
	char		*hex = NULL;
	int		 idx;

	if ((idx = OCSP_resp_find(bs, q->id, -1)) < 0)
		idx = ocsp_verify_find_any_hash(q, bs);
	if (idx >= 0)
		return (OCSP_resp_get0(bs, idx));
	if (OCSP_resp_count(bs) > 0)
		OCSP_id_get0_info(NULL, NULL, NULL, &serial,
		    (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(bs,
		    0)));
	if (serial != NULL && (bn = ASN1_INTEGER_to_BN(serial, NULL)) != NULL) {
		hex = BN_bn2hex(bn);
		BN_free(bn);
	}
	ocsp_verify_fail(res, OCSP_E_WRONG_CERT, "the response is about "
	    "another certificate (serial %s), not this one",
	    hex != NULL ? hex : "none");
	OPENSSL_free(hex);
	ERR_clear_error();
	return (NULL);
}

/* thisUpdate and nextUpdate against now; -1 with res set when off. */
static int
ocsp_verify_dates(time_t this, time_t next, time_t now, long tolerance,
    long max_age, struct ocsp_result *res)
{
	char	 when[32];

	res->this_update = this;
	res->next_update = next;
	if (this == 0) {
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "no readable "
		    "thisUpdate");
		return (-1);
	}
	if (this > now + tolerance) {
		caltime_iso(this, when, sizeof(when));
		ocsp_verify_fail(res, OCSP_E_NOT_YET_VALID, "thisUpdate %s is "
		    "ahead of this machine's clock by more than %ld s", when,
		    tolerance);
		return (-1);
	}
	if (next != 0 && next < now - tolerance) {
		caltime_iso(next, when, sizeof(when));
		ocsp_verify_fail(res, OCSP_E_STALE, "stale: nextUpdate %s has "
		    "passed", when);
		return (-1);
	}
	if (next == 0 && max_age >= 0 && this < now - tolerance - max_age) {
		caltime_iso(this, when, sizeof(when));
		ocsp_verify_fail(res, OCSP_E_STALE, "stale: no nextUpdate, and "
		    "thisUpdate %s is older than %ld s", when, max_age);
		return (-1);
	}
	return (0);
}

/* The revoked, hold or good of a reason code. */
static void
ocsp_verify_revoked(struct ocsp_result *res, int reason, time_t when)
{
	res->status = reason == OCSP_REASON_HOLD ? OCSP_ON_HOLD : OCSP_REVOKED;
	res->reason = reason;
	res->revoked_at = when;
}

/* What the single response says, if its dates hold. */
static void
ocsp_verify_single(OCSP_SINGLERESP *single, time_t now, long tolerance,
    long max_age, struct ocsp_result *res)
{
	ASN1_GENERALIZEDTIME	*revtime = NULL, *thisupd = NULL;
	ASN1_GENERALIZEDTIME	*nextupd = NULL;
	int			 st, reason = OCSP_REASON_NONE;

	st = OCSP_single_get0_status(single, &reason, &revtime, &thisupd,
	    &nextupd);
	if (ocsp_verify_dates(ocsp_verify_time(thisupd),
	    ocsp_verify_time(nextupd), now, tolerance, max_age, res) != 0)
		return;
	switch (st) {
	case V_OCSP_CERTSTATUS_GOOD:
		res->status = OCSP_GOOD;
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		ocsp_verify_revoked(res, reason < 0 ? OCSP_REASON_NONE :
		    reason, ocsp_verify_time(revtime));
		break;
	case V_OCSP_CERTSTATUS_UNKNOWN:
		res->status = OCSP_UNKNOWN;
		break;
	default:
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "certificate status "
		    "%d is none of good, revoked, unknown", st);
	}
}

void
ocsp_verify_response(const struct ocsp_query *q, const unsigned char *buf,
    size_t len, time_t now, long tolerance, long max_age,
    struct ocsp_result *res)
{
	const unsigned char	*p = buf;
	OCSP_RESPONSE		*resp;
	OCSP_BASICRESP		*bs = NULL;
	OCSP_SINGLERESP		*single;
	int			 rs;

	memset(res, 0, sizeof(*res));
	res->reason = OCSP_REASON_NONE;
	if ((resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len)) == NULL) {
		ocsp_verify_der_cause(buf, len, "an OCSP response", res);
		goto out;
	}
	if (p != buf + len) {
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "%zu bytes of "
		    "trailing data after the OCSP response", len -
		    (size_t)(p - buf));
		goto out;
	}
	rs = OCSP_response_status(resp);
	if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		ocsp_verify_fail(res, OCSP_E_RESPONDER, "the responder "
		    "answered \"%s\"", OCSP_response_status_str(rs));
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "not a basic OCSP "
		    "response");
		goto out;
	}
	if (ocsp_verify_signer(q, bs, res) != 0 ||
	    ocsp_verify_nonce(q, bs, res) != 0 ||
	    (single = ocsp_verify_find(q, bs, res)) == NULL)
		goto out;
	ocsp_verify_single(single, now, tolerance, max_age, res);
out:
	ERR_clear_error();
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
}

/* A CRL in DER or PEM; NULL with res set. */
static X509_CRL *
ocsp_verify_crl_parse(const unsigned char *buf, size_t len,
    struct ocsp_result *res)
{
	const unsigned char	*p = buf;
	X509_CRL		*crl;
	BIO			*bio;

	if (len > 10 && memcmp(buf, "-----BEGIN", 10) == 0) {
		if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL)
			fatalx("%s: out of memory", __func__);
		crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
		BIO_free(bio);
		if (crl == NULL)
			ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "PEM data "
			    "without a readable X509 CRL block");
		return (crl);
	}
	if ((crl = d2i_X509_CRL(NULL, &p, (long)len)) == NULL)
		ocsp_verify_der_cause(buf, len, "a CRL", res);
	else if (p != buf + len) {
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "%zu bytes of "
		    "trailing data after the CRL", len - (size_t)(p - buf));
		X509_CRL_free(crl);
		crl = NULL;
	}
	return (crl);
}

X509_CRL *
ocsp_verify_crl(const unsigned char *buf, size_t len, X509 *issuer,
    time_t now, long tolerance, struct ocsp_result *res)
{
	X509_CRL	*crl;
	EVP_PKEY	*key;

	memset(res, 0, sizeof(*res));
	res->reason = OCSP_REASON_NONE;
	if ((crl = ocsp_verify_crl_parse(buf, len, res)) == NULL)
		goto fail;
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
	    X509_get_subject_name(issuer)) != 0) {
		ocsp_verify_fail(res, OCSP_E_BAD_SIGNATURE, "the CRL is "
		    "issued by another authority than the certificate");
		goto fail;
	}
	if ((key = X509_get0_pubkey(issuer)) == NULL ||
	    X509_CRL_verify(crl, key) != 1) {
		ocsp_verify_fail(res, OCSP_E_BAD_SIGNATURE, "the CRL's "
		    "signature does not verify with the issuer's key");
		goto fail;
	}
	if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
		ocsp_verify_fail(res, OCSP_E_BAD_RESPONSE, "a delta CRL "
		    "cannot be used on its own");
		goto fail;
	}
	if (ocsp_verify_dates(ocsp_verify_time(X509_CRL_get0_lastUpdate(crl)),
	    ocsp_verify_time(X509_CRL_get0_nextUpdate(crl)), now, tolerance,
	    -1, res) != 0)
		goto fail;
	ERR_clear_error();
	return (crl);
fail:
	ERR_clear_error();
	X509_CRL_free(crl);
	return (NULL);
}

void
ocsp_verify_crl_lookup(X509_CRL *crl, X509 *cert, struct ocsp_result *res)
{
	X509_REVOKED	*rev = NULL;
	ASN1_ENUMERATED	*code;
	int		 reason = OCSP_REASON_NONE;

	res->this_update = ocsp_verify_time(X509_CRL_get0_lastUpdate(crl));
	res->next_update = ocsp_verify_time(X509_CRL_get0_nextUpdate(crl));
	/* 2: listed as removeFromCRL, which means good. */
	if (X509_CRL_get0_by_cert(crl, &rev, cert) != 1 || rev == NULL) {
		res->status = OCSP_GOOD;
		ERR_clear_error();
		return;
	}
	code = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
	if (code != NULL) {
		reason = (int)ASN1_ENUMERATED_get(code);
		ASN1_ENUMERATED_free(code);
	}
	ocsp_verify_revoked(res, reason, ocsp_verify_time(
	    X509_REVOKED_get0_revocationDate(rev)));
	ERR_clear_error();
}
