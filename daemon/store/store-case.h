/*
 * store-case.h - renewal cases, their history and the holders' profiles
 * (store-case.c).
 */
#ifndef NESD_STORE_CASE_H
#define NESD_STORE_CASE_H

#include <stdint.h>
#include <time.h>

struct store;

/* A case as stored; strings owned by the store until the callback returns. */
struct case_row {
	int64_t		 id;
	const char	*kind;		/* renewal, lost, replacement, first */
	const char	*reason;	/* replacement: hardware, identity, pin */
	const char	*state;
	int64_t		 cert_id;	/* 0 if none */
	const char	*tckn;		/* the holder, NULL if unknown */
	time_t		 not_after;	/* of the old certificate, 0 if none */
	const char	*method;	/* e-onay, e-imza, islak; NULL */
	time_t		 opened_at;
	time_t		 entered_at;	/* into the state */
	time_t		 touched_at;	/* last transition, self-loops too */
	time_t		 applied_at;	/* production clock start, 0 */
	int		 timers;	/* T_* the state waits for (cases) */
	int		 fired;		/* one-shot T_* already fired */
	time_t		 due_at;	/* 0: nothing due */
	const char	*due_event;
	int		 closed;
};

/* One stored transition. */
struct case_step {
	int64_t		 id;
	time_t		 at;
	const char	*kind;		/* the case's kind then */
	const char	*from;		/* "" for the opening */
	const char	*event;
	const char	*to;
	const char	*actor;		/* "uid 1000" or "nesd" */
	const char	*note;		/* NULL if none */
};

typedef int (*case_cb)(const struct case_row *, void *);
typedef int (*case_step_cb)(const struct case_step *, void *);
typedef int (*profile_cb)(const char *, const char *, time_t, void *);

int	 store_case_add(struct store *, const struct case_row *, int64_t *);
/* Write back everything but id, opened_at and cert_id. */
int	 store_case_update(struct store *, const struct case_row *);
/* 1 found (cb called), 0 not, -1 error. */
int	 store_case_get(struct store *, int64_t, case_cb, void *);
/* Open cases, oldest first; the number of rows or -1. */
int	 store_case_open(struct store *, case_cb, void *);
/* Every case, newest first, up to limit. */
int	 store_case_list(struct store *, int, case_cb, void *);
/* The earliest due_at of an open case, 0 if none. */
int	 store_case_next(struct store *, time_t *);
/* Open cases due at or before now. */
int	 store_case_due(struct store *, time_t, case_cb, void *);

int	 store_case_step_add(struct store *, int64_t, const struct case_step *);
int	 store_case_steps(struct store *, int64_t, case_step_cb, void *);

/*
 * Remember that the holder was told of an OCSP status of a certificate
 * with no case open: 1 newly, 0 told before, -1 error. A good status
 * clears them.
 */
int	 store_case_notice(struct store *, int64_t, const char *, time_t);
int	 store_case_notice_clear(struct store *, int64_t);

/*
 * The profile of a holder, by TCKN (NULL: the holder not known yet, as
 * on a first application): form fields, one row each, and "eonay".
 */
int	 store_holder_set(struct store *, const char *, const char *,
	    const char *, time_t);
int	 store_holder_unset(struct store *, const char *, const char *);
/* The value of a field, allocated, or NULL when unset. */
char	*store_holder_get(struct store *, const char *, const char *);
int	 store_holder_all(struct store *, const char *, profile_cb, void *);
/*
 * The holders nesd knows: each TCKN of a certificate or an open case,
 * with a name and the newest certificate's id (0: none). 0 or -1.
 */
typedef int (*holder_cb)(const char *, const char *, int64_t, void *);
int	 store_holders(struct store *, holder_cb, void *);

#endif
