/*
 * form.h - the holder's profile and the Kamu SM application form built
 * from it, the certificate and the case, each field checked.
 */
#ifndef NESD_FORM_H
#define NESD_FORM_H

#include <stdint.h>

#include <jansson.h>

struct config;
struct store;

/* The profile lives in store; conf is kept until form_reload. */
void	 form_init(struct store *, const struct config *);
void	 form_reload(const struct config *);
/* Check and store one field; NULL with *cause (allocated) if refused. */
json_t	*form_profile_set(const char *, const char *, char **);
json_t	*form_profile_json(void);
/* The form for case id (0: no case), in the portal's order. */
json_t	*form_json(int64_t);

#endif
