/*
 * ocsp-int.h - for ocsp.c and ocsp-job.c only: the checker's state and
 * one check in progress. ocsp.c decides what to check and when, and
 * records what came out; ocsp-job.c runs one check (issuer, OCSP, CRL)
 * over the network and hands the result back with ocsp_job_done.
 */
#ifndef NESD_OCSP_INT_H
#define NESD_OCSP_INT_H

#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "ocsp.h"
#include "ocsp-verify.h"

struct event;
struct http_response;
struct http_xfer;
struct ocsp_host;
struct ocsp_query;
struct sched_timer;
struct store;

/* Checks running at once; more wait in the store or the forced queue. */
#define OCSP_MAX_JOBS		32

/*
 * A place in a responder's queue: cb(arg) runs when the per-responder
 * rate allows the next request to it.
 */
struct ocsp_turn {
	TAILQ_ENTRY(ocsp_turn)	 entry;
	struct ocsp_host	*host;		/* queued there, or NULL */
	void			(*cb)(void *);
	void			*arg;
};

struct ocsp_job;
struct ocsp_fetch;
typedef void (*ocsp_fetch_cb)(struct ocsp_job *,
    const struct http_response *);

/* One certificate being checked. */
struct ocsp_job {
	TAILQ_ENTRY(ocsp_job)	 entry;
	struct ocsp		*o;
	int64_t			 id;
	char			 fingerprint[65];
	char			*holder_name;	/* or NULL */
	char			*issuer_name;	/* RFC 2253 text */
	X509			*cert;
	X509			*issuer;
	struct ocsp_urls	 urls;
	size_t			 next_ca;	/* caIssuers URL to try */
	size_t			 next_ocsp;	/* OCSP URL to try */
	size_t			 next_crl;	/* CRL URL to try */
	struct ocsp_query	*query;
	const char		*url;		/* being asked */
	struct http_xfer	*xfer;
	struct ocsp_turn	 turn;
	struct ocsp_fetch	*fetch;		/* waiting for it */
	TAILQ_ENTRY(ocsp_job)	 fetch_entry;
	ocsp_fetch_cb		 fetch_cb;
	int			 gone;		/* no such certificate */
	int			 ocsp_failed;	/* ocsp_res holds why */
	struct ocsp_result	 ocsp_res;
	int			 crl_failed;	/* crl_res holds why */
	struct ocsp_result	 crl_res;
	char			 note[200];	/* why no issuer came */
	struct ocsp_result	 res;		/* the outcome */
	const char		*source;	/* "ocsp", "crl" or NULL */
	char			*answer_url;	/* what answered, or NULL */
};

/* A verified CRL, kept until its nextUpdate. */
struct ocsp_crl {
	LIST_ENTRY(ocsp_crl)	 entry;
	struct ocsp		*o;
	char			*url;
	X509_CRL		*crl;
	X509			*issuer;	/* it was verified with */
	time_t			 expires;
};

struct ocsp_waiter;

struct ocsp {
	struct event_base	*base;
	struct store		*store;
	struct events		*events;
	const struct config	*conf;
	struct sched_timer	*timer;
	struct event		*pump_ev;	/* ocsp_pump from the loop */
	TAILQ_HEAD(, ocsp_job)	 jobs;
	int			 njobs;
	int64_t			*forced;	/* ids to check first */
	size_t			 forced_head;	/* the next to take */
	size_t			 nforced;
	size_t			 forced_cap;
	int			 enabled;	/* as conf said at (re)load */
	int			 interval;
	TAILQ_HEAD(, ocsp_waiter) waiters;
	LIST_HEAD(, ocsp_host)	 hosts;
	LIST_HEAD(, ocsp_fetch)	 fetches;
	LIST_HEAD(, ocsp_crl)	 crls;
	int			 ncrls;
	STACK_OF(X509)		*trust;		/* trust_dir */
	STACK_OF(X509)		*issuers;	/* found lately */
	unsigned long		 nchecks;
	struct ocsp_watch	*watches;	/* ocsp_watch: few, by id */
	size_t			 nwatches;
};

/* ocsp-fetch.c: turns by responder, shared GETs. */
void		 ocsp_fetch_turn(struct ocsp *, const char *,
		    struct ocsp_turn *);
void		 ocsp_fetch_turn_cancel(struct ocsp_turn *);
void		 ocsp_fetch_get(struct ocsp_job *, const char *, size_t,
		    ocsp_fetch_cb);
void		 ocsp_fetch_leave(struct ocsp_job *);
void		 ocsp_fetch_hosts_free(struct ocsp *);

/* ocsp-job.c */
void		 ocsp_job_start(struct ocsp *, int64_t);
void		 ocsp_job_free(struct ocsp_job *);
void		 ocsp_job_trust_load(struct ocsp *);
void		 ocsp_job_caches_free(struct ocsp *);

/* ocsp.c: the job is over, with job->res set; it is freed there. */
void		 ocsp_job_done(struct ocsp_job *);

#endif
