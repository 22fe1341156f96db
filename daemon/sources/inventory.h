/*
 * inventory.h - certificates found in files or imported, into the store.
 */
#ifndef NESD_INVENTORY_H
#define NESD_INVENTORY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tckn.h"

#define INVENTORY_FILE		"file"
#define INVENTORY_IMPORT	"import"

struct events;
struct store;

/* One certificate taken from a buffer. */
struct inventory_item {
	int64_t		 id;
	char		 fingerprint[65];
	int		 is_new;
	int		 skipped;	/* forgotten, not re-imported */
	char		*holder_name;
	char		 tckn[TCKN_BUFSZ];	/* "" if none */
	time_t		 not_after;
};

enum inventory_error {
	INVENTORY_OK,
	INVENTORY_BAD_CERT,	/* *cause says why */
	INVENTORY_STORAGE,
};

/*
 * Record certificates in st and publish EVENT_CERT_SEEN on events (may be
 * NULL) for each one recorded; before any other inventory call.
 */
void	 inventory_init(struct store *, struct events *);

/*
 * Record every certificate in buf as seen at (source, location). An
 * explicit import brings back a forgotten certificate; a file scan does
 * not. For a file, certificates it held before and no longer holds are
 * marked not present there. Fills *items (free with inventory_items_free).
 */
enum inventory_error inventory_add(const unsigned char *, size_t,
	    const char *, const char *, int, struct inventory_item **, int *,
	    char **);
void	 inventory_items_free(struct inventory_item *, int);

/* The file (or folder, tree) at path is gone: its certificates stay. */
int	 inventory_gone(const char *, int);

#endif
