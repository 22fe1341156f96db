/*
 * nls.h - gettext for text people read; log text never goes through it.
 */
#ifndef NES_NLS_H
#define NES_NLS_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)

#endif
