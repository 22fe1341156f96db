/*
 * nls.h - gettext for text people read; log text never goes through it.
 */
#ifndef NES_NLS_H
#define NES_NLS_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)
/*
 * A word in a context, where one English word has two meanings ("ok" of
 * a certificate and of a PIN): the msgctxt of the catalogue.
 */
#define P_(ctx, s)	nls_pgettext(ctx "\004" s, s)

static inline const char *
nls_pgettext(const char *id, const char *s)
{
	const char	*t = gettext(id);

	return (t == id ? s : t);
}

#endif
