/*
 * renewal-int.h - for renewal*.c only: the table's types, a case in
 * memory and the engine's helpers the evidence and view files use.
 */
#ifndef NESD_RENEWAL_INT_H
#define NESD_RENEWAL_INT_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "renewal.h"
#include "store-case.h"
#include "tckn.h"


#define RENEWAL_MAX_DUE	256	/* cases handled in one turn */

struct store_cert;

/* Kinds, as bits so one row of the table serves several. */
#define K_RENEWAL	0x1
#define K_LOST		0x2
#define K_REPLACEMENT	0x4
#define K_FIRST		0x8
#define K_LOSS		(K_LOST | K_REPLACEMENT)
#define K_ANY		0xf

/* Rule flags. */
#define R_NOTIFY	0x01	/* tell the holder through the outbox */
#define R_NESD		0x02	/* nesd's own event, no verb sends it */
#define R_ISLAK		0x04	/* only with a hand-signed form */
#define R_NOT_ISLAK	0x08	/* only with a form signed otherwise */
#define R_METHOD	0x10	/* the event sets the signing method */
#define R_CLOCK		0x20	/* production may start: courier clock */
#define R_CLOSE		0x40	/* the case ends */

#define T_DEADLINE	RENEWAL_T_DEADLINE
#define T_LAPSE		RENEWAL_T_LAPSE
#define T_POST		RENEWAL_T_POST
#define T_COURIER	RENEWAL_T_COURIER

/* Where a case can still move: cancel and evidence apply in each. */
#define OPEN_STATES	"opened applied posted approved paid in_production " \
	"shipped reported suspended resumed revoked"

struct renewal_rule {
	int		 kinds;
	const char	*from;		/* states, space separated; "" opens */
	const char	*event;
	const char	*to;		/* NULL: stays (a reminder) */
	int		 to_kind;	/* K_* it becomes, 0: the same */
	int		 timers;	/* T_* the state entered waits for */
	int		 flags;		/* R_* */
	const char	*message;	/* what the holder does next */
};

/* The signing methods; bit i of renewal_method_bits is entry i. */
#define RENEWAL_NMETHODS	3
struct renewal_method {
	const char	*name;
	const char	*words;
	const char	*follows;
};
extern const struct renewal_method renewal_method_table[RENEWAL_NMETHODS];
extern const char	renewal_eonay_text[];

/* A case in memory: the row, with its strings copied. */
struct rcase {
	struct case_row	 row;
	char		 kind[16];
	char		 reason[16];
	char		 state[16];
	char		 tckn[TCKN_BUFSZ];
	char		 method[16];
	char		 due_event[16];
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
/* 1 loaded, 0 no such case, -1 storage error. */
int	 renewal_load(int64_t, struct rcase *);
int	 renewal_load_cb(const struct case_row *, void *);
const struct renewal_rule *renewal_rule(const char *, const char *,
	    const char *, const char *, int *);
int	 renewal_method_bits(const struct rcase *, time_t);
time_t	 renewal_production(const struct rcase *);
time_t	 renewal_deadline(const struct rcase *);
int	 renewal_eonay_given(void);
int	 renewal_apply(struct rcase *, const struct renewal_rule *,
	    const char *, const char *, const char *, const char *);
int	 renewal_commit(void);
int	 renewal_ids_cb(const struct case_row *, void *);
int	 renewal_cert_cb(const struct store_cert *, void *);
int64_t	 renewal_open_for(int64_t, int);
/* Tell the holder, about a certificate, through the channels. */
void	 renewal_say(int64_t, const char *, const char *, json_t *);

#endif
