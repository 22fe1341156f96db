/*
 * store-status.h - the status checker's tables: each certificate's
 * revocation status and next check (one row per certificate, made by a
 * trigger when the certificate is recorded), the issuer certificates
 * fetched from AIA caIssuers, and the CRLs fetched, until nextUpdate.
 */
#ifndef NESD_STORE_STATUS_H
#define NESD_STORE_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store;

/* A cert_status row; strings owned by the store until the call returns. */
struct store_status {
	int64_t		 cert_id;
	const char	*status;	/* "pending", "good", "on_hold", ... */
	int		 reason;	/* RFC 5280 code, -1 for none */
	time_t		 revoked_at;
	const char	*error;		/* "timeout", ... or NULL */
	const char	*detail;	/* or NULL */
	const char	*source;	/* "ocsp", "crl" or NULL */
	const char	*url;		/* what answered, or NULL */
	time_t		 checked_at;	/* 0: never */
	time_t		 this_update;	/* 0: none */
	time_t		 next_update;	/* 0: none */
	time_t		 changed_at;	/* 0: never */
	int		 failures;	/* errors in a row */
	time_t		 next_check;	/* 0: not scheduled */
	time_t		 not_after;	/* the certificate's (read only) */
};

typedef int (*store_status_cb)(const struct store_status *, void *);
/* A blob from the store and a time that goes with it. */
typedef int (*store_blob_cb)(const void *, size_t, time_t, void *);
typedef int (*store_count_cb)(const char *, long, void *);

/* 1 found (cb called), 0 not found, -1 error. */
int	 store_status_get(struct store *, int64_t, store_status_cb, void *);
/* Write every column of the row of s->cert_id. */
int	 store_status_put(struct store *, const struct store_status *);
/*
 * Walk up to limit rows due at now, earliest first: each expired
 * certificate is taken off the schedule, each other one goes into ids
 * (*n of them) and is held until lease, so that a check that dies with
 * nesd runs again. Returns the rows walked (0: nothing is due), or -1.
 */
int	 store_status_due(struct store *, time_t, int, time_t, int64_t *,
	    int *);
/* The earliest scheduled check into *when (0: none); 0 or -1. */
int	 store_status_next(struct store *, time_t *);
/* Bring every check later than until forward to until. */
int	 store_status_clamp(struct store *, time_t);
/* Rows by status: cb(status, count). */
int	 store_status_count(struct store *, store_count_cb, void *);
/* The ids of certificates valid at now, allocated into *ids. */
int	 store_status_valid_ids(struct store *, time_t, int64_t **, size_t *);

/* Tracked or cached certificates whose subject is the given name. */
int	 store_issuer_candidates(struct store *, const char *, store_blob_cb,
	    void *);
/* Cache an issuer certificate fetched from url. */
int	 store_issuer_put(struct store *, const char *, const char *,
	    const void *, size_t, time_t);

/* The CRL cached from url (cb gets it and its nextUpdate): 1, 0 or -1. */
int	 store_crl_get(struct store *, const char *, store_blob_cb, void *);
int	 store_crl_put(struct store *, const char *, const void *, size_t,
	    time_t, time_t);

#endif
