/*
 * ready.h - nesctl ready: whether the holder has what the portal will
 * ask for, each check with its fix.
 */
#ifndef NESD_READY_H
#define NESD_READY_H

#include <jansson.h>

struct store;

/*
 * The checks against store: {"ready": all passed, "checks": [{"check",
 * "ok", "text", "fix"}]}, texts in nesd's language.
 */
json_t	*ready_json(struct store *);

#endif
