/*
 * ocsp.h - the status checker: whether each tracked certificate was
 * revoked or suspended, by OCSP (RFC 6960) from the certificate's AIA and
 * by CRL (RFC 5280) from its distribution points, on the one scheduler.
 */
#ifndef NESD_OCSP_H
#define NESD_OCSP_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct config;
struct event_base;
struct events;
struct ocsp;
struct store;

/* A certificate's revocation status; ocsp_status_name() gives its word. */
enum ocsp_status {
	OCSP_PENDING,		/* not checked yet */
	OCSP_GOOD,
	OCSP_REVOKED,		/* for good: never checked again by itself */
	OCSP_ON_HOLD,		/* revoked with certificateHold: suspended */
	OCSP_UNKNOWN,		/* the responder does not know it */
	OCSP_ERROR,		/* no answer that can be trusted */
	OCSP_NSTATUS
};

/* Why a check ended in OCSP_ERROR; ocsp_error_name() gives its word. */
enum ocsp_error {
	OCSP_E_NONE,
	OCSP_E_NO_ISSUER,	/* the issuer certificate was not found */
	OCSP_E_NO_URL,		/* no OCSP or CRL URL to ask */
	OCSP_E_UNREACHABLE,	/* no connection */
	OCSP_E_TIMEOUT,
	OCSP_E_HTTP_STATUS,	/* an HTTP status other than 200 */
	OCSP_E_TOO_LARGE,	/* the body passed the cap */
	OCSP_E_TRANSFER,	/* another network failure */
	OCSP_E_BAD_RESPONSE,	/* not a usable OCSP response or CRL */
	OCSP_E_RESPONDER,	/* the responder refused (tryLater, ...) */
	OCSP_E_BAD_SIGNATURE,	/* not signed by the issuer or its responder */
	OCSP_E_WRONG_CERT,	/* the response is about another certificate */
	OCSP_E_NONCE,		/* nonce missing or not ours */
	OCSP_E_STALE,		/* nextUpdate has passed */
	OCSP_E_NOT_YET_VALID,	/* thisUpdate is in the future */
	OCSP_E_INTERNAL,	/* the store, or a certificate nesd can't use */
	OCSP_NERRORS
};

/* No revocation reason given (RFC 5280 reason codes are 0-10). */
#define OCSP_REASON_NONE	(-1)
#define OCSP_REASON_HOLD	6	/* certificateHold */

#define OCSP_DETAIL_MAX		320

/* The outcome of one check. */
struct ocsp_result {
	enum ocsp_status	 status;
	enum ocsp_error		 error;
	int			 reason;	/* revoked: RFC 5280 code */
	time_t			 revoked_at;
	time_t			 this_update;	/* 0 if none */
	time_t			 next_update;	/* 0 if none */
	char			 detail[OCSP_DETAIL_MAX];	/* why, how */
};

/* For cert.check: the results array (borrowed), or NULL and a message. */
typedef void (*ocsp_check_cb)(json_t *, const char *, void *);

/*
 * The checker keeps its results in the store, subscribes to new
 * certificates and publishes status events on the bus.
 */
struct ocsp	*ocsp_new(struct event_base *, struct store *, struct events *,
		    const struct config *);
void		 ocsp_free(struct ocsp *);
/* The configuration changed (SIGHUP). */
void		 ocsp_reload(struct ocsp *, const struct config *);
/* New certificates were recorded: check them soon. */
void		 ocsp_wake(struct ocsp *);
/*
 * Check a certificate at least every interval seconds (a loss case waits
 * for its change); 0 ends the watch. Watches are not stored: their owner
 * sets them again after a restart.
 */
void		 ocsp_watch(struct ocsp *, int64_t, int);

/*
 * Check one certificate (id > 0) or every one that has not expired
 * (id 0) now, and call cb with one object per certificate when all are
 * done. -1 with *cause when it cannot start (checker disabled).
 */
int		 ocsp_check(struct ocsp *, int64_t, ocsp_check_cb, void *,
		    char **);

/* The "revocation" member of a certificate object (nesd-proto(7)). */
json_t		*ocsp_cert_json(struct ocsp *, int64_t);
/* The "revocation" member of the status result. */
json_t		*ocsp_status_json(struct ocsp *);


/* Stable words for the protocol: "on_hold", "timeout", "key_compromise". */
const char	*ocsp_status_name(enum ocsp_status);
const char	*ocsp_error_name(enum ocsp_error);
const char	*ocsp_reason_name(int);
int		 ocsp_status_parse(const char *, enum ocsp_status *);

#endif
