/*
 * today.h - the one step for today of each holder (today.c), for status.
 */
#ifndef NESD_TODAY_H
#define NESD_TODAY_H

#include <jansson.h>

/* One object a holder: masked TCKN, name, certificate, case, step. */
json_t	*today_json(void);

#endif
