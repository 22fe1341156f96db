/*
 * store.h - the SQLite database; the only part that runs SQL.
 */
#ifndef NESD_STORE_H
#define NESD_STORE_H

#include <stdint.h>
#include <time.h>

#include "x509.h"

struct store;

/* A certificate row; strings owned by the store until the callback returns. */
struct store_cert {
	int64_t		 id;
	const char	*fingerprint;
	const char	*serial;
	const char	*subject;
	const char	*issuer;
	const char	*holder_name;	/* NULL if none */
	const char	*tckn;		/* NULL if none */
	const char	*other_id;	/* NULL if none */
	const char	*email;		/* NULL if none */
	const char	*kind;
	int		 qualified;
	time_t		 not_before;
	time_t		 not_after;
	time_t		 first_seen;
	time_t		 last_seen;
	const void	*der;		/* only from store_cert_get */
	size_t		 der_len;
};

struct store_location {
	const char	*source;	/* "file", "import" */
	const char	*path;
	int		 present;
	time_t		 first_seen;
	time_t		 last_seen;
};

/* Counts of rows, for the status summary. */
struct store_counts {
	long		 total;
	long		 nes;
	long		 expired;	/* not_after <= now */
	long		 not_yet_valid;	/* not_before > now, not expired,
					   neither revoked nor on hold */
	long		 expiring;	/* valid, notAfter up to a bound */
	long		 revoked;	/* not expired, OCSP revoked */
	long		 on_hold;	/* not expired, OCSP on hold */
};

typedef int (*store_cert_cb)(const struct store_cert *, void *);
typedef int (*store_location_cb)(const struct store_location *, void *);

/* Open (creating 0600) and migrate; ":memory:" is a private one. */
struct store	*store_open(const char *, char **);
void		 store_close(struct store *);
const char	*store_error(struct store *);
/* This database's own id (hex), for keys unique across databases. */
const char	*store_id(struct store *);
/* Where a damaged database was kept aside at open, or NULL. */
const char	*store_aside(struct store *);

int	 store_begin(struct store *);
int	 store_commit(struct store *);
void	 store_rollback(struct store *);

/* Insert or refresh a certificate; *id and *is_new are set. */
int	 store_cert_upsert(struct store *, const struct x509_info *, time_t,
	    int64_t *, int *);
/* Insert or refresh where a certificate was seen, present. */
int	 store_location_seen(struct store *, int64_t, const char *,
	    const char *, time_t);
/* Mark every location at path (and below, if a folder) not present. */
int	 store_location_gone(struct store *, const char *, const char *,
	    int);

/* 1 found (cb called), 0 not found, -1 error. */
int	 store_cert_get(struct store *, int64_t, store_cert_cb, void *);
/* Ids whose fingerprint starts with a prefix: up to 2 put in ids. */
int	 store_cert_find_prefix(struct store *, const char *, int64_t[2]);
int	 store_cert_list(struct store *, int64_t, int, store_cert_cb, void *);
int	 store_cert_by_expiry(struct store *, int, store_cert_cb, void *);
int	 store_cert_locations(struct store *, int64_t, store_location_cb,
	    void *);
int	 store_counts(struct store *, time_t, time_t, struct store_counts *);

/* Forget a certificate: gone, and ignored by scans until imported. */
int	 store_cert_forget(struct store *, int64_t, time_t);
int	 store_is_forgotten(struct store *, const char *);
int	 store_unforget(struct store *, const char *);

#endif
