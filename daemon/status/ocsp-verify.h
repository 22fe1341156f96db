/*
 * ocsp-verify.h - the status checker's OpenSSL side: OCSP requests, and
 * what a response or a CRL says once it is proven to come from the
 * certificate's issuer. No I/O, no clock, no state: the network and the
 * store are ocsp.c's; this is what the fuzz harness exercises.
 */
#ifndef NESD_OCSP_VERIFY_H
#define NESD_OCSP_VERIFY_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "ocsp.h"

/* Where a certificate's revocation status is published (RFC 5280). */
struct ocsp_urls {
	char	**ocsp;		/* AIA id-ad-ocsp URIs */
	size_t	  nocsp;
	char	**ca_issuers;	/* AIA id-ad-caIssuers URIs */
	size_t	  nca_issuers;
	char	**crl;		/* CRL distribution point full-name URIs */
	size_t	  ncrl;
};

/* The URLs a certificate names (none is an empty list). */
void		 ocsp_verify_urls(X509 *, struct ocsp_urls *);
void		 ocsp_verify_urls_clear(struct ocsp_urls *);

/* An OCSP request for one certificate, kept to check the answer. */
struct ocsp_query;

/* A request for cert issued by issuer, with a nonce if asked; or NULL. */
struct ocsp_query *ocsp_verify_query(X509 *, X509 *, int);
void		 ocsp_verify_query_free(struct ocsp_query *);
/* The request as DER, allocated; its length in *len. */
unsigned char	*ocsp_verify_query_der(const struct ocsp_query *, size_t *);

/*
 * Judge an OCSP response body for the query at time now: parsed, signed
 * by the issuer or a responder the issuer delegated to (id-kp-OCSPSigning),
 * nonce (if asked), about this certificate, thisUpdate and nextUpdate
 * within tolerance seconds of now. Without a nextUpdate, thisUpdate may
 * be at most max_age seconds old. Fills res: good, revoked, on hold,
 * unknown, or error with the reason and a detail.
 */
void		 ocsp_verify_response(const struct ocsp_query *,
		    const unsigned char *, size_t, time_t, long, long,
		    struct ocsp_result *);

/*
 * A CRL (DER or PEM) from issuer, its signature and dates checked against
 * now and tolerance: the CRL, or NULL with res set to the error.
 */
X509_CRL	*ocsp_verify_crl(const unsigned char *, size_t, X509 *, time_t,
		    long, struct ocsp_result *);
/* What a verified CRL says of cert: good, revoked or on hold. */
void		 ocsp_verify_crl_lookup(X509_CRL *, X509 *,
		    struct ocsp_result *);

/* 1 if issuer issued cert (names, key identifiers and signature). */
int		 ocsp_verify_issuer(X509 *, X509 *);
/* One DER certificate, or NULL. */
X509		*ocsp_verify_x509(const unsigned char *, size_t);
/* A result that is an error, with a detail. */
void		 ocsp_verify_fail(struct ocsp_result *, enum ocsp_error,
		    const char *, ...) __attribute__((format(printf, 3, 4)));

#endif
