/*
 * officer.h - the e-mail to the institution's e-signature officer asking
 * to approve an application: composed from a template, sent on request.
 */
#ifndef NESD_OFFICER_H
#define NESD_OFFICER_H

#include <stdint.h>

#include <jansson.h>

struct config;
struct store;

/* The profile and certificates come from store; conf until reload. */
void	 officer_init(struct store *, const struct config *);
void	 officer_reload(const struct config *);
/*
 * The e-mail for case id, as {to, subject, body}; with send, queued in
 * the outbox (its id as "outbox"). NULL with *cause if it cannot be.
 */
json_t	*officer_mail(int64_t, int, char **);

#endif
