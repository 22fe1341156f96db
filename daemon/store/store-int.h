/*
 * store-int.h - for the store-*.c files only: the database handle and the
 * helpers every query uses. SQL lives in store.c and store-*.c, nowhere
 * else; each store-*.c owns the tables of one part.
 */
#ifndef NESD_STORE_INT_H
#define NESD_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* The statements of store.c; see store_sql for the others. */
enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_CERT_INSERT,
	ST_CERT_TOUCH,
	ST_LOC_UPSERT,
	ST_LOC_GONE,
	ST_LOC_GONE_TREE,
	ST_CERT_GET,
	ST_CERT_PREFIX,
	ST_CERT_LIST,
	ST_CERT_BY_EXPIRY,
	ST_CERT_LOCATIONS,
	ST_COUNTS,
	ST_CERT_DELETE,
	ST_FORGET,
	ST_IS_FORGOTTEN,
	ST_UNFORGET,
	ST_MAX
};

struct store {
	sqlite3		 *db;
	char		  err[256];	/* the failure a rollback would clear */
	char		  id[32];	/* meta db_id: this database's own */
	char		 *aside;	/* where a damaged one was moved, or NULL */
	sqlite3_stmt	 *stmt[ST_MAX];
	char		 *path;
	int		  depth;	/* nested store_begin calls */
	sqlite3_stmt	***extra;	/* store_sql slots, to finalize */
	size_t		  nextra;
};

/* One row of a store_walk: read it, pass it on; nonzero ends the walk. */
typedef int (*store_row_cb)(sqlite3_stmt *, void *);

sqlite3_stmt	*store_sql(struct store *, sqlite3_stmt **, const char *);
/*
 * Step s through its rows, calling cb on each until it returns nonzero,
 * then reset s: the number of rows passed to cb, or -1 (logged as what)
 * when a step failed.
 */
int		 store_walk(struct store *, sqlite3_stmt *, store_row_cb, void *,
		     const char *);
int		 store_exec(struct store *, sqlite3_stmt *, const char *);
int		 store_one_int(struct store *, sqlite3_stmt *, int64_t *);
int		 store_fail(struct store *, const char *);
void		 store_bind_text(sqlite3_stmt *, int, const char *);
const char	*store_col_text(sqlite3_stmt *, int);

#endif
