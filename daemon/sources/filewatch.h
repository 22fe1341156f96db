/*
 * filewatch.h - certificate files and folders from certificate_paths,
 * scanned in the background of the loop and watched with inotify.
 */
#ifndef NESD_FILEWATCH_H
#define NESD_FILEWATCH_H

#include <stddef.h>

struct config;
struct event_base;
struct filewatch;
struct store;

/* Files go through the inventory (inventory_init), a batch a transaction. */
struct filewatch *filewatch_new(struct event_base *, struct store *);
void		 filewatch_free(struct filewatch *);
/* Watch and (re)scan the configured paths, dropping the old ones. */
void		 filewatch_set(struct filewatch *, const struct config *);
/* Paths waiting to be read. */
size_t		 filewatch_pending(struct filewatch *);
/* Paths the store could not take, waiting to be read again. */
size_t		 filewatch_failed(struct filewatch *);

#endif
