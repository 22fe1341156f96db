/*
 * renewal-int.h - for the case engine's files only (case-rules.c,
 * renewal*.c, and its unit test): the rule table's types, a case in
 * memory, what the engine was given and the helpers its files share.
 */
#ifndef NESD_RENEWAL_INT_H
#define NESD_RENEWAL_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "case.h"
#include "renewal.h"
#include "store-case.h"
#include "tckn.h"


#define RENEWAL_MAX_DUE	256	/* cases handled in one turn */

struct config;
struct events;
struct ocsp;
struct sched_timer;
struct store;
struct store_cert;

/* Kinds as bits, so one row of the table serves several. */
#define K_RENEWAL	CASE_BIT(CASE_KIND_RENEWAL)
#define K_LOST		CASE_BIT(CASE_KIND_LOST)
#define K_REPLACEMENT	CASE_BIT(CASE_KIND_REPLACEMENT)
#define K_FIRST		CASE_BIT(CASE_KIND_FIRST)
#define K_LOSS		(K_LOST | K_REPLACEMENT)
#define K_ANY		(K_RENEWAL | K_LOSS | K_FIRST)

/* Rule flags. */
#define R_NOTIFY	0x01	/* tell the holder through the outbox */
#define R_ISLAK		0x02	/* only with a hand-signed form */
#define R_NOT_ISLAK	0x04	/* only with a form signed otherwise */
#define R_METHOD	0x08	/* the event sets the signing method */
#define R_CLOCK		0x10	/* production may start: courier clock */
#define R_CLOSE		0x20	/* the case ends */
#define R_ROUTE		0x40	/* the way the signed form travels follows */
#define R_PRODUCTION	0x80	/* a renewal: not before production opens */
#define R_ALL_GO	0x100	/* loss_revokes_all: the holder's others go */

/* The page a step sends the holder to (case_pages), by kind's keys. */
enum case_page {
	P_SAME,			/* the page of the step before */
	P_PORTAL,		/* the institution's portal: portal_url */
	P_LOSS,			/* Online İşlemler: suspend or revoke */
	P_FOUND,		/* Online İşlemler: lift the suspension */
	P_APPLY,		/* Online İşlemler: Kişi Ödemeli Başvuru */
	P_PAY,			/* the virtual POS: payment_url */
	P_NPAGES
};

/* What a state waits for: the timers column, stored with each case. */
#define T_DEADLINE	0x1	/* apply_by passed, still opened */
#define T_LAPSE		0x2	/* notAfter passed: becomes first */
#define T_POST		0x4	/* islak: remind until posted */
#define T_COURIER	0x8	/* nothing by production + 15 days */

struct case_rule {
	unsigned	 kinds;		/* K_* */
	unsigned	 from;		/* states, as bits; CASE_NONE opens */
	enum case_event	 event;
	enum case_state	 to;		/* CASE_NONE: stays (a reminder) */
	enum case_kind	 to_kind;	/* what it becomes; NONE: the same */
	int		 timers;	/* T_* the state entered waits for */
	int		 flags;		/* R_* */
	const char	*message;	/* what the holder does next */
	enum case_page	 page;		/* where it is done */
};

/* A page: which URL of the configuration, and the path on it. */
struct case_page_def {
	int		 url;		/* CASE_URL_* */
	const char	*path;		/* N_(), %s: the ministry */
};
#define CASE_URL_PORTAL		0
#define CASE_URL_ONLINE		1
#define CASE_URL_PAYMENT	2
extern const struct case_page_def case_pages[P_NPAGES];

/* How the hand-signed form travels (paper_route), with the words. */
struct case_route {
	const char	*name;
	const char	*words;		/* N_(), %s: Kamu SM's address */
};
extern const struct case_route	case_routes[];
extern const size_t		case_nroutes;

/* A timed event: the timer bit that waits for it. */
struct case_timed {
	int		 bit;		/* T_* */
	enum case_event	 event;
	int		 once;		/* remembered in fired */
};
/* In the order the timer bits are tested. */
extern const struct case_timed	case_timed[];
extern const size_t		case_ntimed;

/*
 * The rule for event in (kind, state), its guard passed with method; NULL
 * if none. *exists (may be NULL) is set when a rule matched but for its
 * guard.
 */
const struct case_rule *case_rule_find(enum case_kind, enum case_state,
	    enum case_event, const char *, int *);
/*
 * The holder's events allowed in (kind, state) for a case signed by
 * method (NULL: not yet), as CASE_BIT()s; an event that sets the method
 * counts when any method may go with it.
 */
unsigned	 case_rule_allowed(enum case_kind, enum case_state,
		    const char *);
/* The form's başvuru nedeni of a kind; NULL when the reason says it. */
const char	*case_kind_words(enum case_kind);

/* The signing methods; bit i of renewal_method_bits is entry i. */
#define RENEWAL_NMETHODS	3
struct renewal_method {
	const char	*name;
	const char	*words;
	const char	*follows;
	const char	*success;	/* what the portal says when it is done */
};
extern const struct renewal_method renewal_method_table[RENEWAL_NMETHODS];
extern const char	renewal_eonay_text[];

/* What renewal_init was given; timer is set while the engine runs. */
struct renewal_ctx {
	struct store		*store;
	const struct config	*conf;
	struct events		*events;
	struct ocsp		*ocsp;
	struct sched_timer	*timer;
};
extern struct renewal_ctx	renewal_ctx;

/* A case in memory: the row, its names typed, its strings copied. */
struct rcase {
	struct case_row	 row;	/* strings point at the fields below */
	enum case_kind	 kind;
	enum case_state	 state;
	enum case_event	 due_event;	/* CASE_EV_NONE: nothing due */
	char		 reason[16];
	char		 tckn[TCKN_BUFSZ];
	char		 method[16];
	int		 valid;		/* every stored name was known */
};
struct renewal_ids {
	int64_t		 ids[RENEWAL_MAX_DUE];
	size_t		 n;
	int64_t		 cert_id;	/* filters, when set */
	const char	*tckn;
	time_t		 not_after;
	int		 loss_only;
};
struct renewal_cert {
	int64_t		 id;
	char		 holder[128];
	char		 kind[16];
	char		 tckn[TCKN_BUFSZ];
	time_t		 not_after;
	int		 found;
};

/* Whether the engine runs (renewal_init was called). */
int	 renewal_running(void);
/* 1 loaded, 0 no such case, -1 storage error or a name not known. */
int	 renewal_load(int64_t, struct rcase *);
/* Fill an rcase from a row; c->valid says whether its names were known. */
int	 renewal_load_cb(const struct case_row *, void *);
void	 rcase_fix(struct rcase *);
int	 renewal_method_bits(const struct rcase *, time_t);
time_t	 renewal_production(const struct rcase *);
time_t	 renewal_deadline(const struct rcase *);
int	 renewal_eonay_given(const char *);
/* The E-Onay recorded of holder tckn, allocated, or NULL: unknown. */
char	*renewal_eonay_state(const char *);
/* When the calendar allows r for c if not yet (a renewal's production). */
time_t	 renewal_not_before(const struct rcase *, const struct case_rule *);
/* The holder's events c allows now, as CASE_BIT()s: rules and calendar. */
unsigned renewal_allowed_now(const struct rcase *);
/* The words of paper_route and of a rule (with them if R_ROUTE). */
char	*renewal_route_text(void);
char	*renewal_rule_text(const struct case_rule *);
/* A page, {"url", "path"}, for a kind: P_SAME is the kind's first. */
json_t	*renewal_page_json(enum case_kind, enum case_page);
/* Whether OCSP lets certificate id sign (unknown: yes). */
int	 renewal_cert_usable(int64_t);
/*
 * Move c by event, sent by actor, if the table allows it in c's state
 * (with c's method, or method for the events that set it): stored with
 * its note, inside the caller's transaction. 1 moved, 0 no rule, -1
 * storage error.
 */
int	 renewal_step(struct rcase *, enum case_event, const char *,
	    const char *, const char *);
int	 renewal_apply(struct rcase *, const struct case_rule *,
	    enum case_event, const char *, const char *, const char *);
int	 renewal_commit(void);
int	 renewal_ids_cb(const struct case_row *, void *);
int	 renewal_cert_cb(const struct store_cert *, void *);
int64_t	 renewal_open_for(int64_t, unsigned);
/* Tell the holder, about a certificate, through the channels. */
void	 renewal_say(int64_t, const char *, const char *, json_t *);

#endif
