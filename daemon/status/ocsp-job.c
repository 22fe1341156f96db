/* SPDX-License-Identifier: ISC */
/*
 * ocsp-job.c - one status check over the network. First the issuer: among
 * the issuers found lately, in trust_dir, among the tracked certificates
 * and the issuers cached in the store (those share the subject name), and
 * last from the certificate's AIA caIssuers URLs, then cached. Then OCSP:
 * the configured responder, else each AIA OCSP URL in turn, until one
 * gives an answer that verifies. When none does, or there is none, the
 * CRLs of the distribution points, kept in memory and in the store until
 * their nextUpdate. Only http and https URLs are followed: never another
 * host than the configuration or the certificate names. Every request
 * waits for its responder's turn (ocsp-fetch.c).
 */

#include "autoconf.h"

#include <sys/queue.h>
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "ocsp-int.h"
#include "ocsp-verify.h"
#include "scheduler.h"
#include "store.h"
#include "store-status.h"
#include "x509.h"
#include "xmalloc.h"

/* Issuers remembered in memory; CRLs kept parsed in memory. */
#define OCSP_JOB_ISSUERS	16
#define OCSP_JOB_CRLS		8
/* Largest file read from trust_dir. */
#define OCSP_JOB_TRUST_MAX	(1024 * 1024)

static void	 ocsp_job_ocsp(struct ocsp_job *);
static void	 ocsp_job_crl(struct ocsp_job *);

/* Text into a fixed buffer, cut short when it does not fit. */
static void __attribute__((format(printf, 3, 4)))
ocsp_job_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* 1 for the URLs nesd follows: http and https. */
static int
ocsp_job_http_url(const char *url)
{
	return (strncmp(url, "http://", 7) == 0 ||
	    strncmp(url, "https://", 8) == 0);
}

/*
 * 0 if r is a 200 answer; else -1 with res saying why, in words that
 * name the URL and what was asked for.
 */
static int
ocsp_job_http_ok(struct ocsp_job *job, const char *url,
    const struct http_response *r, const char *what, size_t max,
    struct ocsp_result *res)
{
	memset(res, 0, sizeof(*res));
	res->reason = OCSP_REASON_NONE;
	switch (r->error) {
	case HTTP_OK:
		if (r->status == 200)
			return (0);
		ocsp_verify_fail(res, OCSP_E_HTTP_STATUS, "%s answered HTTP "
		    "%ld, not the %s", url, r->status, what);
		break;
	case HTTP_E_UNREACHABLE:
		ocsp_verify_fail(res, OCSP_E_UNREACHABLE, "cannot reach %s: %s",
		    url, r->message);
		break;
	case HTTP_E_TIMEOUT:
		ocsp_verify_fail(res, OCSP_E_TIMEOUT, "no %s from %s within "
		    "%d s", what, url, job->o->conf->status_timeout);
		break;
	case HTTP_E_TOO_LARGE:
		ocsp_verify_fail(res, OCSP_E_TOO_LARGE, "the %s from %s is "
		    "over %zu bytes", what, url, max);
		break;
	case HTTP_E_TLS:
	case HTTP_E_TRANSFER:
		ocsp_verify_fail(res, OCSP_E_TRANSFER, "%s: %s", url,
		    r->message);
		break;
	}
	return (-1);
}

/* Remember an issuer found, the oldest forgotten past the limit. */
static void
ocsp_job_remember(struct ocsp *o, X509 *x)
{
	int	 i;

	for (i = 0; i < sk_X509_num(o->issuers); i++)
		if (X509_cmp(sk_X509_value(o->issuers, i), x) == 0)
			return;
	X509_up_ref(x);
	sk_X509_push(o->issuers, x);
	if (sk_X509_num(o->issuers) > OCSP_JOB_ISSUERS)
		X509_free(sk_X509_shift(o->issuers));
}

/* The certificate of list that issued cert, referenced, or NULL. */
static X509 *
ocsp_job_issuer_in(STACK_OF(X509) *list, X509 *cert)
{
	X509	*x;
	int	 i;

	for (i = 0; i < sk_X509_num(list); i++) {
		x = sk_X509_value(list, i);
		if (ocsp_verify_issuer(cert, x)) {
			X509_up_ref(x);
			return (x);
		}
	}
	return (NULL);
}

/* A tracked or cached certificate with the issuer's name: is it? */
static int
ocsp_job_candidate_cb(const void *der, size_t len, time_t t, void *arg)
{
	struct ocsp_job	*job = arg;
	X509		*x;

	if ((x = ocsp_verify_x509(der, len)) == NULL)
		return (0);
	if (!ocsp_verify_issuer(job->cert, x)) {
		X509_free(x);
		return (0);
	}
	job->issuer = x;
	return (1);
}

/* The issuer from what is at hand, without the network; or NULL. */
static X509 *
ocsp_job_issuer_local(struct ocsp_job *job)
{
	struct ocsp	*o = job->o;

	if ((job->issuer = ocsp_job_issuer_in(o->issuers, job->cert)) != NULL)
		return (job->issuer);
	if ((job->issuer = ocsp_job_issuer_in(o->trust, job->cert)) == NULL &&
	    store_issuer_candidates(job->o->store, job->issuer_name,
	    ocsp_job_candidate_cb, job) < 0)
		log_warnx("cert %.16s: status: cannot look for its issuer in "
		    "the store", job->fingerprint);
	if (job->issuer != NULL)
		ocsp_job_remember(o, job->issuer);
	return (job->issuer);
}

static void	 ocsp_job_issuer(struct ocsp_job *);

/* The certificate of a caIssuers answer that issued job's: keep it. */
static void
ocsp_job_issuer_pick(struct ocsp_job *job, struct x509_info **list, int n)
{
	X509	*x;
	int	 i;

	for (i = 0; i < n && job->issuer == NULL; i++) {
		if ((x = ocsp_verify_x509(list[i]->der, list[i]->der_len)) ==
		    NULL || !ocsp_verify_issuer(job->cert, x)) {
			X509_free(x);
			continue;
		}
		job->issuer = x;
		ocsp_job_remember(job->o, x);
		if (store_issuer_put(job->o->store, job->url, list[i]->subject,
		    list[i]->der, list[i]->der_len, sched_now()) != 0)
			log_warnx("cert %.16s: status: cannot cache its issuer",
			    job->fingerprint);
		log_info("status: issuer %s fetched from %s", list[i]->subject,
		    job->url);
	}
	if (job->issuer == NULL)
		ocsp_job_printf(job->note, sizeof(job->note), "%s holds no "
		    "certificate that issued this one", job->url);
}

/* What a caIssuers URL gave: the issuer, cached, or on to the next. */
static void
ocsp_job_issuer_fetched(struct ocsp_job *job, const struct http_response *r)
{
	struct x509_info	**list;
	struct ocsp_result	  res;
	char			 *cause = NULL;
	int			  n;

	/* Another job of the same GET may have found it already. */
	if (ocsp_job_issuer_local(job) != NULL) {
		ocsp_job_ocsp(job);
		return;
	}
	if (ocsp_job_http_ok(job, job->url, r, "issuer certificate",
	    (size_t)job->o->conf->status_max_response, &res) != 0)
		ocsp_job_printf(job->note, sizeof(job->note), "%s",
		    res.detail);
	else if ((n = x509_load(r->body, r->len, &list, &cause)) < 0) {
		ocsp_job_printf(job->note, sizeof(job->note), "%s: %s",
		    job->url, cause);
		free(cause);
	} else {
		ocsp_job_issuer_pick(job, list, n);
		x509_list_free(list, n);
	}
	ocsp_job_issuer(job);
}

/* Find the issuer, fetching it if need be; then on to OCSP. */
static void
ocsp_job_issuer(struct ocsp_job *job)
{
	const char	*url;

	if (job->issuer != NULL || ocsp_job_issuer_local(job) != NULL) {
		ocsp_job_ocsp(job);
		return;
	}
	while (job->next_ca < job->urls.nca_issuers) {
		url = job->urls.ca_issuers[job->next_ca++];
		if (!ocsp_job_http_url(url))
			continue;
		ocsp_fetch_get(job, url,
		    (size_t)job->o->conf->status_max_response,
		    ocsp_job_issuer_fetched);
		return;
	}
	ocsp_verify_fail(&job->res, OCSP_E_NO_ISSUER, "issuer %s not found "
	    "among the tracked certificates, trust_dir or AIA caIssuers%s%s",
	    job->issuer_name, job->note[0] != '\0' ? ": " : "", job->note);
	ocsp_job_done(job);
}

/* The next OCSP responder: the configured one, else each AIA URL. */
static const char *
ocsp_job_next_ocsp(struct ocsp_job *job)
{
	const char	*url;

	if (job->o->conf->status_responder != NULL)
		return (job->next_ocsp++ == 0 ?
		    job->o->conf->status_responder : NULL);
	while (job->next_ocsp < job->urls.nocsp) {
		url = job->urls.ocsp[job->next_ocsp++];
		if (ocsp_job_http_url(url))
			return (url);
	}
	return (NULL);
}

/* The job has its answer from url by source. */
static void
ocsp_job_answered(struct ocsp_job *job, const char *source)
{
	job->source = source;
	job->answer_url = xstrdup(job->url);
	ocsp_job_done(job);
}

/* The responder answered (or did not). */
static void
ocsp_job_answer_cb(const struct http_response *r, void *arg)
{
	struct ocsp_job		*job = arg;
	struct ocsp_result	 res;
	const struct config	*conf = job->o->conf;

	job->xfer = NULL;
	if (ocsp_job_http_ok(job, job->url, r, "OCSP response",
	    (size_t)conf->status_max_response, &res) == 0)
		ocsp_verify_response(job->query, r->body, r->len, sched_now(),
		    conf->status_tolerance, conf->status_interval, &res);
	if (res.status != OCSP_ERROR) {
		job->res = res;
		ocsp_job_answered(job, "ocsp");
		return;
	}
	if (!job->ocsp_failed) {
		job->ocsp_res = res;
		job->ocsp_failed = 1;
	}
	ocsp_job_ocsp(job);
}

/* The responder's turn came: POST the request. */
static void
ocsp_job_send(void *arg)
{
	static const char *const headers[] = {
		"Content-Type: application/ocsp-request",
		"Accept: application/ocsp-response",
		NULL
	};
	struct ocsp_job		*job = arg;
	struct http_request	 req;
	struct http_response	 r;
	unsigned char		*der;
	char			*cause = NULL;

	memset(&req, 0, sizeof(req));
	der = ocsp_verify_query_der(job->query, &req.body_len);
	req.url = job->url;
	req.headers = headers;
	req.body = der;
	req.timeout_ms = job->o->conf->status_timeout * 1000L;
	req.max_size = (size_t)job->o->conf->status_max_response;
	job->xfer = http_request(&req, ocsp_job_answer_cb, job, &cause);
	free(der);
	if (job->xfer != NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.error = HTTP_E_TRANSFER;
	r.message = cause;
	r.body = (const unsigned char *)"";
	ocsp_job_answer_cb(&r, job);
	free(cause);
}

/* Ask the next OCSP responder, or go to the CRLs. */
static void
ocsp_job_ocsp(struct ocsp_job *job)
{
	if ((job->url = ocsp_job_next_ocsp(job)) == NULL) {
		ocsp_job_crl(job);
		return;
	}
	if (job->query == NULL && (job->query = ocsp_verify_query(job->cert,
	    job->issuer, job->o->conf->status_nonce)) == NULL) {
		ocsp_verify_fail(&job->res, OCSP_E_INTERNAL, "cannot make an "
		    "OCSP request for this certificate");
		ocsp_job_done(job);
		return;
	}
	ocsp_fetch_turn(job->o, job->url, &job->turn);
}

static void
ocsp_crl_free(struct ocsp_crl *c)
{
	LIST_REMOVE(c, entry);
	c->o->ncrls--;
	X509_CRL_free(c->crl);
	X509_free(c->issuer);
	free(c->url);
	free(c);
}

/* The CRL of url in memory, still current, or NULL. */
static struct ocsp_crl *
ocsp_crl_find(struct ocsp *o, const char *url, time_t now)
{
	struct ocsp_crl	*c;

	LIST_FOREACH(c, &o->crls, entry)
		if (strcmp(c->url, url) == 0)
			break;
	if (c != NULL && c->expires <= now) {
		ocsp_crl_free(c);
		c = NULL;
	}
	return (c);
}

/* Keep a verified CRL (taken) of url; the oldest goes past the limit. */
static struct ocsp_crl *
ocsp_crl_add(struct ocsp *o, const char *url, X509_CRL *crl, X509 *issuer,
    time_t expires)
{
	struct ocsp_crl	*c, *last = NULL;

	if ((c = ocsp_crl_find(o, url, 0)) != NULL)
		ocsp_crl_free(c);
	c = xcalloc(1, sizeof(*c));
	c->o = o;
	c->url = xstrdup(url);
	c->crl = crl;
	X509_up_ref(issuer);
	c->issuer = issuer;
	c->expires = expires;
	LIST_INSERT_HEAD(&o->crls, c, entry);
	if (++o->ncrls > OCSP_JOB_CRLS) {
		LIST_FOREACH(c, &o->crls, entry)
			last = c;
		ocsp_crl_free(last);
	}
	return (LIST_FIRST(&o->crls));
}

/* Until when a verified CRL may be used. */
static time_t
ocsp_crl_expires(struct ocsp *o, const struct ocsp_result *res, time_t now)
{
	if (res->next_update != 0)
		return (res->next_update);
	return (now + o->conf->status_interval);
}

/* The CRL of the store, if it is current and verifies for this issuer. */
static int
ocsp_job_crl_stored_cb(const void *der, size_t len, time_t expires,
    void *arg)
{
	struct ocsp_job		*job = arg;
	struct ocsp_result	 res;
	X509_CRL		*crl;
	time_t			 now = sched_now();

	if (expires <= now)
		return (1);
	crl = ocsp_verify_crl(der, len, job->issuer, now,
	    job->o->conf->status_tolerance, &res);
	if (crl != NULL)
		ocsp_crl_add(job->o, job->url, crl, job->issuer, expires);
	return (1);
}

/* The job's answer from a verified CRL. */
static void
ocsp_job_crl_answer(struct ocsp_job *job, X509_CRL *crl)
{
	ocsp_verify_crl_lookup(crl, job->cert, &job->res);
	if (job->ocsp_failed)
		ocsp_job_printf(job->res.detail, sizeof(job->res.detail),
		    "answered by the CRL, as OCSP failed: %s",
		    job->ocsp_res.detail);
	ocsp_job_answered(job, "crl");
}

/* 1 if job->url's CRL is at hand (memory or store) and answered job. */
static int
ocsp_job_crl_cached(struct ocsp_job *job)
{
	struct ocsp_crl	*c;
	time_t		 now = sched_now();

	if ((c = ocsp_crl_find(job->o, job->url, now)) == NULL &&
	    store_crl_get(job->o->store, job->url, ocsp_job_crl_stored_cb,
	    job) > 0)
		c = ocsp_crl_find(job->o, job->url, now);
	if (c == NULL || X509_cmp(c->issuer, job->issuer) != 0)
		return (0);
	ocsp_job_crl_answer(job, c->crl);
	return (1);
}

/* A CRL came: verify, keep and answer; or on to the next. */
static void
ocsp_job_crl_fetched(struct ocsp_job *job, const struct http_response *r)
{
	struct ocsp		*o = job->o;
	struct ocsp_result	 res;
	struct ocsp_crl		*c;
	X509_CRL		*crl;
	time_t			 now = sched_now();

	/* Another job of the same GET may have verified it already. */
	if (ocsp_job_crl_cached(job))
		return;
	if (ocsp_job_http_ok(job, job->url, r, "CRL",
	    (size_t)o->conf->status_max_crl, &res) != 0 ||
	    (crl = ocsp_verify_crl(r->body, r->len, job->issuer, now,
	    o->conf->status_tolerance, &res)) == NULL) {
		job->crl_res = res;
		job->crl_failed = 1;
		ocsp_job_crl(job);
		return;
	}
	c = ocsp_crl_add(o, job->url, crl, job->issuer,
	    ocsp_crl_expires(o, &res, now));
	if (store_crl_put(job->o->store, job->url, r->body, r->len, c->expires,
	    now) != 0)
		log_warnx("status: cannot cache the CRL of %s", job->url);
	ocsp_job_crl_answer(job, c->crl);
}

/* Nothing gave an answer: the job fails with the first reason. */
static void
ocsp_job_give_up(struct ocsp_job *job)
{
	size_t	 len;

	if (job->ocsp_failed) {
		job->res = job->ocsp_res;
		len = strlen(job->res.detail);
		if (job->crl_failed && len < sizeof(job->res.detail))
			ocsp_job_printf(job->res.detail + len,
			    sizeof(job->res.detail) - len,
			    "; the CRL failed too: %s", job->crl_res.detail);
	} else if (job->crl_failed)
		job->res = job->crl_res;
	else
		ocsp_verify_fail(&job->res, OCSP_E_NO_URL, "the certificate "
		    "names no http or https OCSP responder or CRL");
	ocsp_job_done(job);
}

/* Try the next CRL distribution point, or give up. */
static void
ocsp_job_crl(struct ocsp_job *job)
{
	const char	*url;

	while (job->next_crl < job->urls.ncrl) {
		url = job->urls.crl[job->next_crl++];
		if (!ocsp_job_http_url(url))
			continue;
		job->url = url;
		if (ocsp_job_crl_cached(job))
			return;
		ocsp_fetch_get(job, url, (size_t)job->o->conf->status_max_crl,
		    ocsp_job_crl_fetched);
		return;
	}
	ocsp_job_give_up(job);
}

/* Copy what the job needs of the stored certificate. */
static int
ocsp_job_load_cb(const struct store_cert *c, void *arg)
{
	struct ocsp_job	*job = arg;

	memcpy(job->fingerprint, c->fingerprint, sizeof(job->fingerprint));
	job->fingerprint[sizeof(job->fingerprint) - 1] = '\0';
	if (c->holder_name != NULL)
		job->holder_name = xstrdup(c->holder_name);
	job->issuer_name = xstrdup(c->issuer);
	if ((job->cert = ocsp_verify_x509(c->der, c->der_len)) != NULL)
		ocsp_verify_urls(job->cert, &job->urls);
	return (0);
}

/* 1 if there is an http(s) OCSP responder or CRL to ask. */
static int
ocsp_job_has_url(struct ocsp_job *job)
{
	size_t	 i;

	if (job->o->conf->status_responder != NULL)
		return (1);
	for (i = 0; i < job->urls.nocsp; i++)
		if (ocsp_job_http_url(job->urls.ocsp[i]))
			return (1);
	for (i = 0; i < job->urls.ncrl; i++)
		if (ocsp_job_http_url(job->urls.crl[i]))
			return (1);
	return (0);
}

/* Load the certificate; -1 (and the job is done) when it cannot be. */
static int
ocsp_job_load(struct ocsp_job *job)
{
	int	 rc;

	rc = store_cert_get(job->o->store, job->id, ocsp_job_load_cb, job);
	if (rc <= 0) {
		job->gone = rc == 0;
		ocsp_verify_fail(&job->res, OCSP_E_INTERNAL, rc == 0 ?
		    "no such certificate" : "cannot read it from the store");
	} else if (job->cert == NULL)
		ocsp_verify_fail(&job->res, OCSP_E_INTERNAL, "the stored "
		    "certificate does not parse");
	else if (X509_check_issued(job->cert, job->cert) == X509_V_OK) {
		job->res.status = OCSP_UNKNOWN;
		ocsp_job_printf(job->res.detail, sizeof(job->res.detail),
		    "self-signed: no one publishes whether it is revoked");
	} else if (!ocsp_job_has_url(job))
		ocsp_verify_fail(&job->res, OCSP_E_NO_URL, "the certificate "
		    "names no http or https OCSP responder or CRL");
	else
		return (0);
	ocsp_job_done(job);
	return (-1);
}

void
ocsp_job_start(struct ocsp *o, int64_t id)
{
	struct ocsp_job	*job;

	job = xcalloc(1, sizeof(*job));
	job->o = o;
	job->id = id;
	job->res.reason = OCSP_REASON_NONE;
	job->turn.cb = ocsp_job_send;
	job->turn.arg = job;
	TAILQ_INSERT_TAIL(&o->jobs, job, entry);
	o->njobs++;
	if (ocsp_job_load(job) == 0)
		ocsp_job_issuer(job);
}

void
ocsp_job_free(struct ocsp_job *job)
{
	if (job == NULL)
		return;
	http_cancel(job->xfer);
	ocsp_fetch_turn_cancel(&job->turn);
	ocsp_fetch_leave(job);
	ocsp_verify_query_free(job->query);
	X509_free(job->cert);
	X509_free(job->issuer);
	ocsp_verify_urls_clear(&job->urls);
	free(job->holder_name);
	free(job->issuer_name);
	free(job->answer_url);
	free(job);
}

/* Every certificate of one trust_dir file, appended to o->trust. */
static void
ocsp_job_trust_file(struct ocsp *o, const char *path)
{
	struct x509_info	**list;
	struct stat		  sb;
	unsigned char		 *buf;
	char			 *cause = NULL;
	ssize_t			  n;
	int			  fd, i, count;
	X509			 *x;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > OCSP_JOB_TRUST_MAX) {
		if (fd != -1)
			close(fd);
		return;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	n = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	if (n > 0 && (count = x509_load(buf, (size_t)n, &list, &cause)) > 0) {
		for (i = 0; i < count; i++)
			if ((x = ocsp_verify_x509(list[i]->der,
			    list[i]->der_len)) != NULL)
				sk_X509_push(o->trust, x);
		x509_list_free(list, count);
	} else if (n > 0)
		log_info("status: trust_dir: %s: %s", path, cause);
	free(cause);
	free(buf);
}

void
ocsp_job_trust_load(struct ocsp *o)
{
	const char	*dir = o->conf->status_trust_dir;
	struct dirent	*de;
	DIR		*d;
	char		*path;

	sk_X509_pop_free(o->trust, X509_free);
	if ((o->trust = sk_X509_new_null()) == NULL)
		fatalx("%s: out of memory", __func__);
	/* The issuers found before may have come from the old folder. */
	sk_X509_pop_free(o->issuers, X509_free);
	if ((o->issuers = sk_X509_new_null()) == NULL)
		fatalx("%s: out of memory", __func__);
	if (dir == NULL)
		return;
	if ((d = opendir(dir)) == NULL) {
		log_warn("status: trust_dir %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		ocsp_job_trust_file(o, path);
		free(path);
	}
	closedir(d);
	log_info("status: %d certificates in trust_dir %s",
	    sk_X509_num(o->trust), dir);
}

void
ocsp_job_caches_free(struct ocsp *o)
{
	ocsp_fetch_hosts_free(o);
	while (!LIST_EMPTY(&o->crls))
		ocsp_crl_free(LIST_FIRST(&o->crls));
	sk_X509_pop_free(o->trust, X509_free);
	sk_X509_pop_free(o->issuers, X509_free);
	o->trust = o->issuers = NULL;
}
