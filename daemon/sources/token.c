/* SPDX-License-Identifier: ISC */
/*
 * token.c - the token reader's thread. One thread, token_thread, owns the
 * PKCS#11 modules (vendor modules such as AKIS's are not all thread-safe):
 * it loads them through p11-kit (the configured paths, or every registered
 * module but the trust-policy ones), and whenever the card watcher asks,
 * lists the slots with a token, skips uninitialised tokens and reads each
 * token's serial, label, manufacturer, flags and certificate objects
 * (CKO_CERTIFICATE, CKA_VALUE) in a public session: never C_Login, never
 * a PIN. A token read completely before, still in its slot with the same
 * serial, is not read again. The results go to the main loop as one
 * message per read of all tokens, applied by token-apply.c.
 */

#include "autoconf.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>

#include "card.h"
#include "log.h"
#include "mq.h"
#include "token.h"
#include "token-int.h"
#include "xmalloc.h"

/* Certificate objects read from one token, at most. */
#define TOKEN_MAX_OBJECTS	1024
/* The largest certificate value taken. */
#define TOKEN_MAX_VALUE		(256 * 1024)
/* How long token_free waits for a read to end, in tries of 100 ms. */
#define TOKEN_STOP_TRIES	100

/* A module as the thread holds it. */
struct token_module {
	CK_FUNCTION_LIST	*fn;
	char			*name;
	int			 ready;		/* initialized */
};

/* What the last read found complete in a slot, not to read it again. */
struct token_known {
	size_t		 module;
	CK_SLOT_ID	 slot;
	char		 serial[TOKEN_SERIAL_MAX];
};

/* The thread's own state. */
struct token_thread {
	struct token_module	*mods;
	size_t			 nmods;
	struct token_known	*known;
	size_t			 nknown;
};

/* A PKCS#11 blank-padded field as a C string, trailing blanks cut. */
static void
token_pad(char *dst, const CK_UTF8CHAR *src, size_t n)
{
	size_t	 len;

	for (len = 0; len < n && src[len] != '\0'; len++)
		;
	memcpy(dst, src, len);
	while (len > 0 && dst[len - 1] == ' ')
		len--;
	dst[len] = '\0';
}

/* Errors that mean the token went away or the session with it. */
static int
token_gone(CK_RV rv)
{
	return (rv == CKR_DEVICE_REMOVED || rv == CKR_TOKEN_NOT_PRESENT ||
	    rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED ||
	    rv == CKR_DEVICE_ERROR || rv == CKR_TOKEN_NOT_RECOGNIZED ||
	    rv == CKR_FUNCTION_FAILED || rv == CKR_GENERAL_ERROR ||
	    rv == CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void
token_fail(struct token_seen *s, const char *what, CK_RV rv)
{
	s->complete = 0;
	free(s->error);
	xasprintf(&s->error, "%s: %s", what, p11_kit_strerror(rv));
}

/* One attribute's value, allocated; NULL if it has none to give. */
static unsigned char *
token_attr(CK_FUNCTION_LIST *fn, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o,
    CK_ATTRIBUTE_TYPE type, size_t *len, CK_RV *rv)
{
	CK_ATTRIBUTE	 a = { type, NULL, 0 };
	unsigned char	*buf;

	if ((*rv = fn->C_GetAttributeValue(h, o, &a, 1)) != CKR_OK)
		return (NULL);
	if (a.ulValueLen == CK_UNAVAILABLE_INFORMATION ||
	    a.ulValueLen > TOKEN_MAX_VALUE)
		return (NULL);
	buf = xmalloc(a.ulValueLen + 1);
	a.pValue = buf;
	if ((*rv = fn->C_GetAttributeValue(h, o, &a, 1)) != CKR_OK) {
		free(buf);
		return (NULL);
	}
	buf[a.ulValueLen] = '\0';
	*len = a.ulValueLen;
	return (buf);
}

/* One certificate object into s; -1 when the token stopped answering. */
static int
token_read_object(CK_FUNCTION_LIST *fn, CK_SESSION_HANDLE h,
    CK_OBJECT_HANDLE o, struct token_seen *s)
{
	struct token_cert	*c;
	unsigned char		*der;
	size_t			 len = 0;
	CK_RV			 rv;

	if ((der = token_attr(fn, h, o, CKA_VALUE, &len, &rv)) == NULL) {
		if (token_gone(rv)) {
			token_fail(s, "C_GetAttributeValue", rv);
			return (-1);
		}
		s->unreadable++;
		return (0);
	}
	s->certs = xreallocarray(s->certs, s->ncerts + 1, sizeof(*s->certs));
	c = &s->certs[s->ncerts++];
	c->der = der;
	c->len = len;
	return (0);
}

/* The handles of the certificate objects; -1 on a failure, set in s. */
static int
token_find(CK_FUNCTION_LIST *fn, CK_SESSION_HANDLE h, struct token_seen *s,
    CK_OBJECT_HANDLE **objs, CK_ULONG *n)
{
	CK_OBJECT_CLASS		 cls = CKO_CERTIFICATE;
	CK_CERTIFICATE_TYPE	 type = CKC_X_509;
	CK_ATTRIBUTE		 tmpl[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_CERTIFICATE_TYPE, &type, sizeof(type) },
	};
	CK_ULONG		 got;
	CK_RV			 rv;

	*objs = xcalloc(TOKEN_MAX_OBJECTS, sizeof(**objs));
	*n = 0;
	if ((rv = fn->C_FindObjectsInit(h, tmpl, 2)) != CKR_OK) {
		token_fail(s, "C_FindObjectsInit", rv);
		return (-1);
	}
	do {
		rv = fn->C_FindObjects(h, *objs + *n, TOKEN_MAX_OBJECTS - *n,
		    &got);
		if (rv != CKR_OK) {
			token_fail(s, "C_FindObjects", rv);
			fn->C_FindObjectsFinal(h);
			return (-1);
		}
		*n += got;
	} while (got > 0 && *n < TOKEN_MAX_OBJECTS);
	fn->C_FindObjectsFinal(h);
	return (0);
}

/* Every certificate object of the token in slot, in a public session. */
static void
token_read_certs(CK_FUNCTION_LIST *fn, CK_SLOT_ID slot,
    struct token_seen *s)
{
	CK_SESSION_HANDLE	 h;
	CK_OBJECT_HANDLE	*objs;
	CK_ULONG		 n, i;
	CK_RV			 rv;

	s->complete = 1;
	rv = fn->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &h);
	if (rv != CKR_OK) {
		token_fail(s, "C_OpenSession", rv);
		return;
	}
	if (token_find(fn, h, s, &objs, &n) == 0)
		for (i = 0; i < n; i++)
			if (token_read_object(fn, h, objs[i], s) != 0)
				break;
	free(objs);
	fn->C_CloseSession(h);
}

/* 1 if the last read found this very token complete in this slot. */
static int
token_is_known(struct token_thread *th, size_t mod, CK_SLOT_ID slot,
    const char *serial)
{
	size_t	 i;

	for (i = 0; i < th->nknown; i++)
		if (th->known[i].module == mod && th->known[i].slot == slot &&
		    strcmp(th->known[i].serial, serial) == 0)
			return (1);
	return (0);
}

/* Fill s from the token info; the serial is the card's name. */
static void
token_info(struct token_seen *s, const CK_TOKEN_INFO *ti,
    const CK_SLOT_INFO *si)
{
	token_pad(s->serial, ti->serialNumber, sizeof(ti->serialNumber));
	token_pad(s->label, ti->label, sizeof(ti->label));
	token_pad(s->manufacturer, ti->manufacturerID,
	    sizeof(ti->manufacturerID));
	token_pad(s->model, ti->model, sizeof(ti->model));
	token_pad(s->slot, si->slotDescription, sizeof(si->slotDescription));
	/* A token without a serial is named by its label. */
	if (s->serial[0] == '\0')
		snprintf(s->serial, sizeof(s->serial), "label:%s", s->label);
	s->flags = ti->flags;
}

/* The token in one slot, if there is an initialised one, into r. */
static void
token_scan_slot(struct token_thread *th, size_t mod, CK_SLOT_ID slot,
    int full, struct token_result *r)
{
	struct token_module	*m = &th->mods[mod];
	struct token_seen	*s;
	CK_SLOT_INFO		 si;
	CK_TOKEN_INFO		 ti;
	CK_RV			 rv;

	if (m->fn->C_GetSlotInfo(slot, &si) != CKR_OK ||
	    (si.flags & CKF_TOKEN_PRESENT) == 0)
		return;
	if ((rv = m->fn->C_GetTokenInfo(slot, &ti)) != CKR_OK) {
		log_debug("token: %s: slot %lu: %s", m->name, slot,
		    p11_kit_strerror(rv));
		return;
	}
	if ((ti.flags & CKF_TOKEN_INITIALIZED) == 0) {
		log_debug("token: %s: slot %lu: token not initialised, "
		    "skipped", m->name, slot);
		return;
	}
	r->seen = xreallocarray(r->seen, r->nseen + 1, sizeof(*r->seen));
	s = &r->seen[r->nseen++];
	memset(s, 0, sizeof(*s));
	s->module = xstrdup(m->name);
	s->slot_id = slot;
	s->module_index = mod;
	token_info(s, &ti, &si);
	if (!full && token_is_known(th, mod, slot, s->serial))
		s->unchanged = s->complete = 1;
	else
		token_read_certs(m->fn, slot, s);
}

/* Every token of one module into r; -1 if its slots cannot be listed. */
static int
token_scan_module(struct token_thread *th, size_t mod, int full,
    struct token_result *r)
{
	CK_FUNCTION_LIST	*fn = th->mods[mod].fn;
	CK_SLOT_ID		*slots = NULL;
	CK_ULONG		 n = 0, i;
	CK_RV			 rv;
	int			 tries = 0;

	do {
		/* Without a list first: OpenSC looks for new cards then. */
		if ((rv = fn->C_GetSlotList(CK_TRUE, NULL, &n)) != CKR_OK)
			break;
		slots = xreallocarray(slots, n + 1, sizeof(*slots));
		rv = fn->C_GetSlotList(CK_TRUE, slots, &n);
	} while (rv == CKR_BUFFER_TOO_SMALL && ++tries < 4);
	if (rv != CKR_OK) {
		log_debug("token: %s: C_GetSlotList: %s", th->mods[mod].name,
		    p11_kit_strerror(rv));
		free(slots);
		return (-1);
	}
	for (i = 0; i < n; i++)
		token_scan_slot(th, mod, slots[i], full, r);
	free(slots);
	return (0);
}

/* Remember which tokens were read completely, for the next read. */
static void
token_remember(struct token_thread *th, const struct token_result *r)
{
	size_t	 i;

	free(th->known);
	th->known = xcalloc(r->nseen + 1, sizeof(*th->known));
	th->nknown = 0;
	for (i = 0; i < r->nseen; i++) {
		if (!r->seen[i].complete)
			continue;
		th->known[th->nknown].module = r->seen[i].module_index;
		th->known[th->nknown].slot = r->seen[i].slot_id;
		memcpy(th->known[th->nknown].serial, r->seen[i].serial,
		    sizeof(th->known[0].serial));
		th->nknown++;
	}
}

/* Read every module's tokens. */
static struct token_result *
token_scan_all(struct token_thread *th, int full)
{
	struct token_result	*r;
	size_t			 i;

	r = xcalloc(1, sizeof(*r));
	r->modules = xcalloc(th->nmods + 1, sizeof(*r->modules));
	r->failed = xcalloc(th->nmods + 1, sizeof(*r->failed));
	for (i = 0; i < th->nmods; i++) {
		r->modules[r->nmodules++] = xstrdup(th->mods[i].name);
		if (!th->mods[i].ready ||
		    token_scan_module(th, i, full, r) != 0)
			r->failed[r->nfailed++] = xstrdup(th->mods[i].name);
	}
	token_remember(th, r);
	return (r);
}

/* Add a loaded module, initializing it; logs and drops it on failure. */
static void
token_add_module(struct token_thread *th, CK_FUNCTION_LIST *fn, char *name)
{
	CK_RV	 rv;

	if ((rv = p11_kit_module_initialize(fn)) != CKR_OK) {
		log_warnx("token: %s: cannot initialise: %s", name,
		    p11_kit_strerror(rv));
		p11_kit_module_release(fn);
		free(name);
		return;
	}
	th->mods = xreallocarray(th->mods, th->nmods + 1, sizeof(*th->mods));
	th->mods[th->nmods].fn = fn;
	th->mods[th->nmods].name = name;
	th->mods[th->nmods++].ready = 1;
	log_info("token: module %s loaded", name);
}

/* Every module registered with p11-kit, but trust-policy ones. */
static void
token_load_registered(struct token_thread *th)
{
	CK_FUNCTION_LIST	**list;
	char			 *trust, *name;
	size_t			  i;

	if ((list = p11_kit_modules_load(NULL, P11_KIT_MODULE_UNMANAGED)) ==
	    NULL) {
		log_warnx("token: p11-kit: %s", p11_kit_message());
		return;
	}
	for (i = 0; list[i] != NULL; i++) {
		trust = p11_kit_config_option(list[i], "trust-policy");
		name = p11_kit_module_get_name(list[i]);
		if (name == NULL)
			name = xstrdup("?");
		if (trust != NULL && strcmp(trust, "yes") == 0) {
			log_debug("token: %s: trust policy module, skipped",
			    name);
			p11_kit_module_release(list[i]);
			free(name);
		} else
			token_add_module(th, list[i], name);
		free(trust);
	}
	free(list);
}

/* The configured modules, or the registered ones when none is. */
static void
token_load(struct token_thread *th, const char *const *paths, size_t n)
{
	CK_FUNCTION_LIST	*fn;
	size_t			 i;

	if (n == 0) {
		token_load_registered(th);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((fn = p11_kit_module_load(paths[i],
		    P11_KIT_MODULE_UNMANAGED)) == NULL) {
			log_warnx("token: %s: cannot load: %s", paths[i],
			    p11_kit_message());
			continue;
		}
		token_add_module(th, fn, xstrdup(paths[i]));
	}
}

/* Finalize and initialize each module again (pcscd came back). */
static void
token_reinit(struct token_thread *th)
{
	struct token_module	*m;
	size_t			 i;
	CK_RV			 rv;

	for (i = 0; i < th->nmods; i++) {
		m = &th->mods[i];
		if (m->ready)
			p11_kit_module_finalize(m->fn);
		if ((rv = p11_kit_module_initialize(m->fn)) != CKR_OK)
			log_warnx("token: %s: cannot initialise again: %s",
			    m->name, p11_kit_strerror(rv));
		m->ready = rv == CKR_OK;
	}
	th->nknown = 0;
}

static void
token_unload(struct token_thread *th)
{
	size_t	 i;

	for (i = 0; i < th->nmods; i++) {
		if (th->mods[i].ready)
			p11_kit_module_finalize(th->mods[i].fn);
		p11_kit_module_release(th->mods[i].fn);
		free(th->mods[i].name);
	}
	free(th->mods);
	free(th->known);
}

static int	 token_wait(struct token *);

/* The reader thread: load, then read whenever asked, until told to stop. */
static void *
token_thread(void *arg)
{
	struct token_thread	 th;
	struct token		*t = arg;
	int			 flags;

	memset(&th, 0, sizeof(th));
	token_load(&th, (const char *const *)t->paths, t->npaths);
	while ((flags = token_wait(t)) != -1) {
		if (flags & TOKEN_SCAN_REINIT)
			token_reinit(&th);
		mq_post(t->mq, token_scan_all(&th, (flags &
		    (TOKEN_SCAN_FULL | TOKEN_SCAN_REINIT)) != 0));
	}
	token_unload(&th);
	return (NULL);
}

/*
 * Block until a read is asked for: its TOKEN_SCAN_* flags, or -1 when the
 * thread is to stop.
 */
static int
token_wait(struct token *t)
{
	int	 flags;

	pthread_mutex_lock(&t->lock);
	while (!t->stop && !t->pending)
		pthread_cond_wait(&t->cond, &t->lock);
	flags = t->stop ? -1 : t->flags;
	t->pending = t->flags = 0;
	pthread_mutex_unlock(&t->lock);
	return (flags);
}

struct token *
token_new(struct event_base *base, struct store *st, struct events *events,
    struct card *card, const char *const *paths, size_t n)
{
	struct token	*t;
	size_t		 i;

	t = xcalloc(1, sizeof(*t));
	t->store = st;
	t->events = events;
	t->card = card;
	t->paths = xcalloc(n + 1, sizeof(*t->paths));
	for (i = 0; i < n; i++)
		t->paths[i] = xstrdup(paths[i]);
	t->npaths = n;
	t->modules = json_array();
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	t->mq = mq_new(base, "token", token_apply, t);
	t->pending = 1;		/* the first read, once loaded */
	if ((errno = card_thread_start(&t->thread, token_thread, t)) != 0)
		fatal("token: thread");
	return (t);
}

void
token_scan(struct token *t, int flags)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->pending = 1;
	t->flags |= flags;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

static void
token_result_drop(void *msg)
{
	token_result_free(msg);
}

void
token_free(struct token *t)
{
	struct timespec	 ts;
	size_t		 i;

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = 1;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	/* It ends after the read under way: a module that hangs is left. */
	for (i = 0; i < TOKEN_STOP_TRIES; i++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		if ((ts.tv_nsec += 100000000) >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(t->thread, NULL, &ts) == 0)
			break;
	}
	if (i == TOKEN_STOP_TRIES) {
		log_warnx("token: a module does not answer; leaving its "
		    "thread behind");
		pthread_detach(t->thread);
		return;
	}
	mq_free(t->mq, token_result_drop);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	for (i = 0; i < t->npaths; i++)
		free(t->paths[i]);
	free(t->paths);
	json_decref(t->modules);
	free(t);
}
