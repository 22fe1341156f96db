/*
 * form.h - the holder's profile and the Kamu SM application form built
 * from it, the certificate and the case, each field checked.
 */
#ifndef NESD_FORM_H
#define NESD_FORM_H

#include <stdint.h>

#include <jansson.h>

#include "renewal.h"
#include "tckn.h"

struct config;
struct store;

/* The holder a profile verb works on. */
struct form_holder {
	char	 tckn[TCKN_BUFSZ];	/* "": not known yet (no certificate) */
	int64_t	 cert;			/* their certificate; 0: none */
};

/* The profiles live in store; conf is kept until form_reload. */
void	 form_init(struct store *, const struct config *);
void	 form_reload(const struct config *);
/*
 * The holder of case kase, else of certificate cert, else the one holder
 * nesd knows (or the one not known yet when there is none); when there
 * are several, RENEWAL_E_AMBIGUOUS with *cause listing them.
 */
enum renewal_error form_holder_pick(int64_t, int64_t, struct form_holder *,
	    char **);
/*
 * Check and store one field (its name or the portal's label) of the
 * holder's profile; a field the certificate states must say the same.
 * NULL with *cause (allocated) if refused.
 */
json_t	*form_profile_set(const struct form_holder *, const char *,
	    const char *, char **);
json_t	*form_profile_json(const struct form_holder *);
/* Record whether the holder gave E-Onay; 0 or -1. */
int	 form_eonay_set(const struct form_holder *, int);
/* The form for case id (0: no case) of the holder, in the portal's order. */
json_t	*form_json(int64_t, const struct form_holder *);

#endif
