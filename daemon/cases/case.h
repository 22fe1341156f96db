/*
 * case.h - what a case is made of, typed: its kinds, states and events.
 * The store and the protocol know them by name; case-rules.c holds the
 * one name table of each, beside the rule table that says which event
 * moves which state where, so that a name and its enum never part.
 */
#ifndef NESD_CASE_H
#define NESD_CASE_H

/* A set of kinds, states or events: one bit each. */
#define CASE_BIT(x)	(1U << (x))

enum case_kind {
	CASE_KIND_NONE,		/* no kind; in a rule's to_kind: the same */
	CASE_KIND_RENEWAL,
	CASE_KIND_LOST,
	CASE_KIND_REPLACEMENT,
	CASE_KIND_FIRST,
	CASE_NKINDS
};

enum case_state {
	CASE_NONE,		/* "": not opened yet; a rule's to: stays */
	CASE_OPENED,
	CASE_APPLIED,
	CASE_POSTED,
	CASE_APPROVED,
	CASE_PAID,
	CASE_IN_PRODUCTION,
	CASE_SHIPPED,
	CASE_REPORTED,
	CASE_SUSPENDED,
	CASE_RESUMED,
	CASE_REVOKED,
	CASE_DONE,
	CASE_CANCELLED,
	CASE_CLOSED,
	CASE_NSTATES
};

enum case_event {
	CASE_EV_NONE,		/* no event (nothing due, not a step method) */
	/* The holder's, each sent by one control method. */
	CASE_EV_START,
	CASE_EV_APPLY,
	CASE_EV_POST,
	CASE_EV_APPROVE,
	CASE_EV_PRODUCE,
	CASE_EV_SHIP,
	CASE_EV_CANCEL,
	CASE_EV_SUSPEND,
	CASE_EV_REVOKE,
	CASE_EV_FOUND,
	CASE_EV_PAY,
	/* nesd's own: the clock, the inventory and the status checker. */
	CASE_EV_DEADLINE,
	CASE_EV_LAPSE,
	CASE_EV_REMIND_POST,
	CASE_EV_COURIER_HINT,
	CASE_EV_EVIDENCE,
	CASE_EV_OCSP_HOLD,
	CASE_EV_OCSP_REVOKED,
	CASE_EV_OCSP_GOOD,
	CASE_NEVENTS
};

/* Names, as stored and sent; "?" for a value out of range. */
const char	*case_kind_name(enum case_kind);
const char	*case_state_name(enum case_state);
const char	*case_event_name(enum case_event);
/* The value of a name: 0, or -1 when no value has it. */
int		 case_kind_parse(const char *, enum case_kind *);
int		 case_state_parse(const char *, enum case_state *);
int		 case_event_parse(const char *, enum case_event *);
/* Whether nesd sends the event itself: no method of the holder's may. */
int		 case_event_by_nesd(enum case_event);

#endif
