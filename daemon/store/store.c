/* SPDX-License-Identifier: ISC */
/*
 * store.c - the SQLite database: schema, forward migrations by
 * PRAGMA user_version, and every query as a prepared statement. WAL mode,
 * foreign keys on, multi-row changes in one transaction, file mode 0600.
 */

#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "store.h"
#include "store-int.h"
#include "xmalloc.h"

static struct store	*store_open1(const char *, char **);

/* Each entry moves the schema one version forward; never edit one. */
static const char *store_migrations[] = {
	/* 1: certificates, where they were seen, forgotten fingerprints */
	"CREATE TABLE certs ("
	" id INTEGER PRIMARY KEY,"
	" fingerprint TEXT NOT NULL UNIQUE,"
	" serial TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" issuer TEXT NOT NULL,"
	" holder_name TEXT,"
	" tckn TEXT,"
	" other_id TEXT,"
	" email TEXT,"
	" kind TEXT NOT NULL,"
	" qualified INTEGER NOT NULL,"
	" not_before INTEGER NOT NULL,"
	" not_after INTEGER NOT NULL,"
	" der BLOB NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL);"
	"CREATE INDEX certs_not_after ON certs(not_after);"
	"CREATE INDEX certs_tckn ON certs(tckn);"
	"CREATE TABLE locations ("
	" id INTEGER PRIMARY KEY,"
	" cert_id INTEGER NOT NULL REFERENCES certs(id) ON DELETE CASCADE,"
	" source TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" present INTEGER NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" UNIQUE (cert_id, source, path));"
	"CREATE INDEX locations_path ON locations(source, path);"
	"CREATE TABLE forgotten ("
	" fingerprint TEXT PRIMARY KEY,"
	" at INTEGER NOT NULL);",
	/* 2: cards and tokens (store-card.c) */
	"CREATE TABLE cards ("
	" id INTEGER PRIMARY KEY,"
	" serial TEXT NOT NULL UNIQUE,"
	" label TEXT NOT NULL,"
	" manufacturer TEXT NOT NULL,"
	" model TEXT NOT NULL,"
	" module TEXT NOT NULL,"
	" slot TEXT NOT NULL,"
	" reader TEXT,"
	" atr TEXT,"
	" flags INTEGER NOT NULL,"
	" pin_state TEXT NOT NULL,"
	" present INTEGER NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL);",
	/* 3: reminders and the outbox (store-reminder.c) */
	"CREATE TABLE reminders ("
	" id INTEGER PRIMARY KEY,"
	" cert_id INTEGER NOT NULL REFERENCES certs(id) ON DELETE CASCADE,"
	" milestone TEXT NOT NULL,"
	" due_at INTEGER NOT NULL,"
	" state TEXT NOT NULL,"
	" fired_at INTEGER,"
	" acked_at INTEGER,"
	" acked_by TEXT,"
	" snoozed_until INTEGER,"
	" action TEXT,"
	" action_at INTEGER,"
	" shown_day TEXT,"
	" UNIQUE (cert_id, milestone));"
	"CREATE INDEX reminders_due ON reminders(state, due_at);"
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" reminder_id INTEGER REFERENCES reminders(id) ON DELETE SET NULL,"
	" channel TEXT NOT NULL,"
	" recipient TEXT,"
	" kind TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" payload TEXT,"
	" urgency INTEGER NOT NULL,"
	" created INTEGER NOT NULL,"
	" next_attempt INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" state TEXT NOT NULL,"
	" last_error TEXT,"
	" delivered_at INTEGER,"
	" expires_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_next ON outbox(state, next_attempt);"
	"CREATE INDEX outbox_reminder ON outbox(reminder_id);",
	/* 4: revocation status (store-status.c) */
	"CREATE TABLE cert_status ("
	" cert_id INTEGER PRIMARY KEY REFERENCES certs(id) ON DELETE CASCADE,"
	" status TEXT NOT NULL DEFAULT 'pending',"
	" reason INTEGER,"
	" revoked_at INTEGER,"
	" error TEXT,"
	" detail TEXT,"
	" source TEXT,"
	" url TEXT,"
	" checked_at INTEGER,"
	" this_update INTEGER,"
	" next_update INTEGER,"
	" changed_at INTEGER,"
	" failures INTEGER NOT NULL DEFAULT 0,"
	" next_check INTEGER);"
	"CREATE INDEX cert_status_next_check ON cert_status(next_check)"
	" WHERE next_check IS NOT NULL;"
	"INSERT INTO cert_status (cert_id, next_check) SELECT id, 1 FROM certs;"
	"CREATE TRIGGER cert_status_new AFTER INSERT ON certs BEGIN"
	" INSERT INTO cert_status (cert_id, next_check) VALUES (NEW.id, 1);"
	" END;"
	"CREATE INDEX certs_subject ON certs(subject);"
	"CREATE TABLE issuer_cache ("
	" url TEXT PRIMARY KEY,"
	" subject TEXT NOT NULL,"
	" der BLOB NOT NULL,"
	" fetched_at INTEGER NOT NULL);"
	"CREATE INDEX issuer_cache_subject ON issuer_cache(subject);"
	"CREATE TABLE crl_cache ("
	" url TEXT PRIMARY KEY,"
	" der BLOB NOT NULL,"
	" next_update INTEGER,"
	" fetched_at INTEGER NOT NULL);",
	/* 5: renewal cases, their history, the holder's profile (store-case.c) */
	"CREATE TABLE cases ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" reason TEXT,"
	" state TEXT NOT NULL,"
	" cert_id INTEGER REFERENCES certs(id) ON DELETE SET NULL,"
	" tckn TEXT,"
	" not_after INTEGER NOT NULL,"
	" method TEXT,"
	" opened_at INTEGER NOT NULL,"
	" entered_at INTEGER NOT NULL,"
	" touched_at INTEGER NOT NULL,"
	" applied_at INTEGER NOT NULL,"
	" timers INTEGER NOT NULL,"
	" fired INTEGER NOT NULL,"
	" due_at INTEGER NOT NULL,"
	" due_event TEXT,"
	" closed INTEGER NOT NULL);"
	"CREATE INDEX cases_due ON cases(closed, due_at);"
	"CREATE TABLE case_history ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	" at INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" from_state TEXT NOT NULL,"
	" event TEXT NOT NULL,"
	" to_state TEXT NOT NULL,"
	" actor TEXT NOT NULL,"
	" note TEXT);"
	"CREATE INDEX case_history_case ON case_history(case_id);"
	"CREATE TABLE profile ("
	" field TEXT PRIMARY KEY,"
	" value TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE case_notices ("
	" cert_id INTEGER NOT NULL REFERENCES certs(id) ON DELETE CASCADE,"
	" status TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (cert_id, status));",
	/* 6: this database's own id (unique keys across databases) */
	"CREATE TABLE meta ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);"
	"INSERT INTO meta VALUES ('db_id', lower(hex(randomblob(8))));",
	/*
	 * 7: a profile per holder (TCKN; '' for one not known yet). The one
	 * profile before goes to the holder its TCKN field names, else to
	 * the one holder of the certificates, else stays unnamed; the TCKN
	 * is the key now, not a field.
	 */
	"CREATE TABLE holder_profile ("
	" holder TEXT NOT NULL,"
	" field TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (holder, field));"
	"INSERT INTO holder_profile SELECT coalesce("
	" (SELECT value FROM profile WHERE field = 'tckn'),"
	" (SELECT min(tckn) FROM certs WHERE tckn IS NOT NULL"
	" HAVING count(DISTINCT tckn) = 1), ''), field, value, updated_at"
	" FROM profile WHERE field != 'tckn';"
	"DROP TABLE profile;",
};
#define STORE_VERSION \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

#define STORE_CERT_COLS \
	"id, fingerprint, serial, subject, issuer, holder_name, tckn, " \
	"other_id, email, kind, qualified, not_before, not_after, " \
	"first_seen, last_seen"


static const char *store_sqltext[ST_MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_CERT_INSERT] = "INSERT INTO certs (fingerprint, serial, subject,"
	    " issuer, holder_name, tckn, other_id, email, kind, qualified,"
	    " not_before, not_after, der, first_seen, last_seen)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?14) ON CONFLICT (fingerprint) DO NOTHING",
	[ST_CERT_TOUCH] = "UPDATE certs SET last_seen = ?2"
	    " WHERE fingerprint = ?1 RETURNING id",
	[ST_LOC_UPSERT] = "INSERT INTO locations (cert_id, source, path,"
	    " present, first_seen, last_seen) VALUES (?1, ?2, ?3, 1, ?4, ?4)"
	    " ON CONFLICT (cert_id, source, path) DO UPDATE"
	    " SET present = 1, last_seen = ?4",
	[ST_LOC_GONE] = "UPDATE locations SET present = 0"
	    " WHERE source = ?1 AND path = ?2 AND present = 1",
	[ST_LOC_GONE_TREE] = "UPDATE locations SET present = 0"
	    " WHERE source = ?1 AND present = 1 AND (path = ?2 OR"
	    " substr(path, 1, length(?2) + 1) = ?2 || '/')",
	[ST_CERT_GET] = "SELECT " STORE_CERT_COLS ", der FROM certs"
	    " WHERE id = ?1",
	[ST_CERT_PREFIX] = "SELECT id FROM certs WHERE fingerprint >= ?1"
	    " AND fingerprint < ?1 || 'g' ORDER BY id LIMIT 2",
	[ST_CERT_LIST] = "SELECT " STORE_CERT_COLS " FROM certs"
	    " WHERE id > ?1 ORDER BY id LIMIT ?2",
	[ST_CERT_BY_EXPIRY] = "SELECT " STORE_CERT_COLS " FROM certs"
	    " ORDER BY not_after, id LIMIT ?1",
	[ST_CERT_LOCATIONS] = "SELECT source, path, present, first_seen,"
	    " last_seen FROM locations WHERE cert_id = ?1"
	    " ORDER BY present DESC, last_seen DESC, id",
	/*
	 * One bucket a certificate, as its row's state says (ctl-cert.c):
	 * expired, then revoked and on hold, then not yet valid, expiring.
	 */
	[ST_COUNTS] = "SELECT count(*), total(kind = 'nes'),"
	    " total(not_after <= ?1),"
	    " total(not_after > ?1 AND not_before > ?1 AND st = 0),"
	    " total(not_after > ?1 AND not_after <= ?2 AND not_before <= ?1"
	    " AND st = 0),"
	    " total(not_after > ?1 AND st = 1), total(not_after > ?1 AND st = 2)"
	    " FROM (SELECT kind, not_before, not_after,"
	    " CASE ifnull(s.status, '') WHEN 'revoked' THEN 1"
	    " WHEN 'on_hold' THEN 2 ELSE 0 END AS st"
	    " FROM certs LEFT JOIN cert_status s ON s.cert_id = certs.id)",
	[ST_CERT_DELETE] = "DELETE FROM certs WHERE id = ?1"
	    " RETURNING fingerprint",
	[ST_FORGET] = "INSERT OR REPLACE INTO forgotten (fingerprint, at)"
	    " VALUES (?1, ?2)",
	[ST_IS_FORGOTTEN] = "SELECT 1 FROM forgotten WHERE fingerprint = ?1",
	[ST_UNFORGET] = "DELETE FROM forgotten WHERE fingerprint = ?1",
};

const char *
store_error(struct store *st)
{
	return (st->err[0] != '\0' ? st->err : sqlite3_errmsg(st->db));
}

/* Keep SQLite's message: a rollback or the next call replaces it. */
static void
store_keep_error(struct store *st)
{
	int	 rc = sqlite3_errcode(st->db);

	if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		snprintf(st->err, sizeof(st->err), "%s",
		    sqlite3_errmsg(st->db));
}

/* Log a failed statement loudly: a full or read-only disk must be seen. */
int
store_fail(struct store *st, const char *what)
{
	store_keep_error(st);
	log_warnx("store %s: %s: %s", st->path, what, store_error(st));
	return (-1);
}

static sqlite3_stmt *
store_stmt(struct store *st, enum store_stmt which)
{
	sqlite3_stmt	*s = st->stmt[which];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return (s);
}

/* Run a statement that returns no rows. */
int
store_exec(struct store *st, sqlite3_stmt *s, const char *what)
{
	int	 rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return (store_fail(st, what));
	return (0);
}

/* Bring the schema forward to STORE_VERSION, one transaction per step. */
static int
store_migrate(struct store *st, char **cause)
{
	sqlite3_stmt	*s;
	char		*err = NULL, *sql;
	int		 version, v;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		xasprintf(cause, "%s: %s", st->path, sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return (-1);
	}
	version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > STORE_VERSION) {
		xasprintf(cause, "%s: database schema %d is newer than this "
		    "nesd knows (%d)", st->path, version, STORE_VERSION);
		return (-1);
	}
	for (v = version; v < STORE_VERSION; v++) {
		xasprintf(&sql, "BEGIN; %s PRAGMA user_version = %d; COMMIT;",
		    store_migrations[v], v + 1);
		if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
			xasprintf(cause, "%s: migration to schema %d: %s",
			    st->path, v + 1, err);
			sqlite3_free(err);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			free(sql);
			return (-1);
		}
		free(sql);
	}
	if (version < STORE_VERSION)
		log_info("store %s: schema moved from version %d to %d",
		    st->path, version, STORE_VERSION);
	return (0);
}

/* Create the file 0600 before SQLite does, whatever the umask. */
static int
store_create_file(const char *path, char **cause)
{
	int	 fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fchmod(fd, 0600) == -1) {
		xasprintf(cause, "%s: chmod: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/*
 * Move a database nesd cannot use out of the way, with its WAL and shared
 * memory files: path.damaged-YYYYmmddTHHMMSS. The new name in *aside.
 */
static int
store_set_aside(const char *path, char **aside, char **cause)
{
	char		 stamp[32], *from, *to;
	const char	*ext[] = { "-wal", "-shm" };
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 i;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	xasprintf(aside, "%s.damaged-%s", path, stamp);
	if (rename(path, *aside) == -1) {
		xasprintf(cause, "%s: cannot set it aside: %s", path,
		    strerror(errno));
		free(*aside);
		*aside = NULL;
		return (-1);
	}
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		xasprintf(&from, "%s%s", path, ext[i]);
		xasprintf(&to, "%s%s", *aside, ext[i]);
		if (rename(from, to) == -1 && errno != ENOENT)
			log_warn("store %s", from);
		free(from);
		free(to);
	}
	return (0);
}

/* Whether path is an emptied database: 0 bytes, and no WAL holding it. */
static int
store_emptied(const char *path)
{
	struct stat	 sb;
	char		*wal;
	int		 empty;

	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size != 0)
		return (0);
	xasprintf(&wal, "%s-wal", path);
	empty = stat(wal, &sb) == -1 || sb.st_size == 0;
	free(wal);
	return (empty);
}

static int
store_load_id(struct store *st, char **cause)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = "
	    "'db_id'", -1, &s, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return (-1);
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(st->id, sizeof(st->id), "%s",
		    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return (0);
}

const char *
store_id(struct store *st)
{
	return (st->id);
}

const char *
store_aside(struct store *st)
{
	return (st->aside);
}

/*
 * A database that was emptied (0 bytes) or is not a database at all is
 * kept aside under a new name, never overwritten, and a new one is made:
 * nesd says so at error priority and in status (store_aside).
 */
struct store *
store_open(const char *path, char **cause)
{
	struct store	*st;
	char		*aside = NULL;

	if (store_emptied(path)) {
		if (store_set_aside(path, &aside, cause) != 0)
			return (NULL);
		log_warnx("store %s: the database was emptied (0 bytes); kept "
		    "aside as %s, starting a new one: reminders already sent "
		    "may be sent once more", path, aside);
	}
	st = store_open1(path, cause);
	if (st == NULL && aside == NULL && *cause != NULL &&
	    strstr(*cause, "file is not a database") != NULL) {
		if (store_set_aside(path, &aside, cause) != 0)
			return (NULL);
		log_warnx("store %s: not a database; kept aside as %s, "
		    "starting a new one", path, aside);
		free(*cause);
		*cause = NULL;
		st = store_open1(path, cause);
	}
	if (st != NULL)
		st->aside = aside;
	else
		free(aside);
	return (st);
}

static struct store *
store_open1(const char *path, char **cause)
{
	struct store	*st;
	int		 i;
	const char	*pragmas = "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
	    "PRAGMA busy_timeout = 2000;";

	/* ":memory:", for tests, is no file. */
	if (strcmp(path, ":memory:") != 0 &&
	    store_create_file(path, cause) != 0)
		return (NULL);
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(st->db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, st->db == NULL ?
		    "out of memory" : sqlite3_errmsg(st->db));
		goto fail;
	}
	if (store_migrate(st, cause) != 0 || store_load_id(st, cause) != 0)
		goto fail;
	for (i = 0; i < ST_MAX; i++) {
		if (sqlite3_prepare_v3(st->db, store_sqltext[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) != SQLITE_OK) {
			xasprintf(cause, "%s: preparing statement %d: %s",
			    path, i, sqlite3_errmsg(st->db));
			goto fail;
		}
	}
	return (st);
fail:
	store_close(st);
	return (NULL);
}

int
store_walk(struct store *st, sqlite3_stmt *s, store_row_cb cb, void *arg,
    const char *what)
{
	int	 rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n++;
		if (cb(s, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, what));
	return (n);
}

/* One integer from a query that returns at most one row; 0 if none. */
int
store_one_int(struct store *st, sqlite3_stmt *s, int64_t *out)
{
	int	 rc = sqlite3_step(s);

	*out = 0;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "query"));
	return (0);
}

/*
 * A statement of a store-*.c file, prepared on first use into *slot and
 * finalized at close; reset and unbound each time.
 */
sqlite3_stmt *
store_sql(struct store *st, sqlite3_stmt **slot, const char *sql)
{
	if (*slot == NULL) {
		if (sqlite3_prepare_v3(st->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
			fatalx("store: preparing \"%.40s\": %s", sql,
			    sqlite3_errmsg(st->db));
		st->extra = xreallocarray(st->extra, st->nextra + 1,
		    sizeof(*st->extra));
		st->extra[st->nextra++] = slot;
	}
	sqlite3_reset(*slot);
	sqlite3_clear_bindings(*slot);
	return (*slot);
}

void
store_close(struct store *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	for (i = 0; i < st->nextra; i++) {
		sqlite3_finalize(*st->extra[i]);
		*st->extra[i] = NULL;
	}
	free(st->extra);
	if (sqlite3_close(st->db) != SQLITE_OK)
		log_warnx("store %s: close: %s", st->path,
		    sqlite3_errmsg(st->db));
	free(st->path);
	free(st->aside);
	free(st);
}

/*
 * Transactions nest: only the outermost begin and commit reach SQLite, and
 * a rollback at any depth undoes the whole, so the outer commit fails.
 */
int
store_begin(struct store *st)
{
	if (st->depth++ > 0)
		return (0);
	st->err[0] = '\0';
	if (store_exec(st, store_stmt(st, ST_BEGIN), "begin") != 0) {
		st->depth = 0;
		return (-1);
	}
	return (0);
}

int
store_commit(struct store *st)
{
	if (st->depth == 0)
		return (-1);
	if (--st->depth > 0)
		return (0);
	if (store_exec(st, store_stmt(st, ST_COMMIT), "commit") != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

void
store_rollback(struct store *st)
{
	st->depth = 0;
	if (st->err[0] == '\0')
		store_keep_error(st);
	if (sqlite3_get_autocommit(st->db) == 0)
		store_exec(st, store_stmt(st, ST_ROLLBACK), "rollback");
}

void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL || *v == '\0')
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

int
store_cert_upsert(struct store *st, const struct x509_info *x, time_t now,
    int64_t *id, int *is_new)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = store_stmt(st, ST_CERT_INSERT);
	store_bind_text(s, 1, x->fingerprint);
	store_bind_text(s, 2, x->serial);
	sqlite3_bind_text(s, 3, x->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, x->issuer, -1, SQLITE_STATIC);
	store_bind_text(s, 5, x->holder_name);
	store_bind_text(s, 6, x->tckn);
	store_bind_text(s, 7, x->other_id);
	store_bind_text(s, 8, x->email);
	sqlite3_bind_text(s, 9, x509_kind_name(x->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 10, x->qualified);
	sqlite3_bind_int64(s, 11, x->not_before);
	sqlite3_bind_int64(s, 12, x->not_after);
	sqlite3_bind_blob(s, 13, x->der, (int)x->der_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 14, now);
	if (store_exec(st, s, "insert certificate") != 0)
		return (-1);
	*is_new = sqlite3_changes(st->db) > 0;
	s = store_stmt(st, ST_CERT_TOUCH);
	sqlite3_bind_text(s, 1, x->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return (store_fail(st, "touch certificate"));
	}
	*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return (0);
}

int
store_location_seen(struct store *st, int64_t cert_id, const char *source,
    const char *path, time_t now)
{
	sqlite3_stmt	*s = store_stmt(st, ST_LOC_UPSERT);

	sqlite3_bind_int64(s, 1, cert_id);
	sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	return (store_exec(st, s, "record location"));
}

int
store_location_gone(struct store *st, const char *source, const char *path,
    int tree)
{
	sqlite3_stmt	*s = store_stmt(st, tree ? ST_LOC_GONE_TREE :
	    ST_LOC_GONE);

	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	return (store_exec(st, s, "mark location gone"));
}

const char *
store_col_text(sqlite3_stmt *s, int i)
{
	return ((const char *)sqlite3_column_text(s, i));
}

struct store_cert_visit {
	store_cert_cb	 cb;
	void		*arg;
};

/* One row of a STORE_CERT_COLS statement (with der when it has one). */
static int
store_cert_row(sqlite3_stmt *s, void *arg)
{
	struct store_cert_visit	*w = arg;
	struct store_cert	 cert, *c = &cert;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->fingerprint = store_col_text(s, 1);
	c->serial = store_col_text(s, 2);
	c->subject = store_col_text(s, 3);
	c->issuer = store_col_text(s, 4);
	c->holder_name = store_col_text(s, 5);
	c->tckn = store_col_text(s, 6);
	c->other_id = store_col_text(s, 7);
	c->email = store_col_text(s, 8);
	c->kind = store_col_text(s, 9);
	c->qualified = sqlite3_column_int(s, 10);
	c->not_before = sqlite3_column_int64(s, 11);
	c->not_after = sqlite3_column_int64(s, 12);
	c->first_seen = sqlite3_column_int64(s, 13);
	c->last_seen = sqlite3_column_int64(s, 14);
	if (sqlite3_column_count(s) > 15) {
		c->der = sqlite3_column_blob(s, 15);
		c->der_len = sqlite3_column_bytes(s, 15);
	}
	return (w->cb(c, w->arg));
}

/* Step through a certificate query, calling cb for each row. */
static int
store_cert_walk(struct store *st, sqlite3_stmt *s, store_cert_cb cb,
    void *arg)
{
	struct store_cert_visit	 w = { cb, arg };

	return (store_walk(st, s, store_cert_row, &w, "read certificates"));
}

int
store_cert_get(struct store *st, int64_t id, store_cert_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_stmt(st, ST_CERT_GET);

	sqlite3_bind_int64(s, 1, id);
	return (store_cert_walk(st, s, cb, arg));
}

struct store_prefix {
	int64_t		*ids;
	int		 n;
};

/* Collect ids, two at most: more would only say "ambiguous" again. */
static int
store_cert_prefix_row(sqlite3_stmt *s, void *arg)
{
	struct store_prefix	*p = arg;

	p->ids[p->n++] = sqlite3_column_int64(s, 0);
	return (p->n == 2);
}

int
store_cert_find_prefix(struct store *st, const char *prefix, int64_t ids[2])
{
	sqlite3_stmt		*s = store_stmt(st, ST_CERT_PREFIX);
	struct store_prefix	 p = { ids, 0 };

	sqlite3_bind_text(s, 1, prefix, -1, SQLITE_STATIC);
	return (store_walk(st, s, store_cert_prefix_row, &p,
	    "find certificate"));
}

int
store_cert_list(struct store *st, int64_t after, int limit, store_cert_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = store_stmt(st, ST_CERT_LIST);

	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return (store_cert_walk(st, s, cb, arg));
}

int
store_cert_by_expiry(struct store *st, int limit, store_cert_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_stmt(st, ST_CERT_BY_EXPIRY);

	sqlite3_bind_int(s, 1, limit);
	return (store_cert_walk(st, s, cb, arg));
}

struct store_location_visit {
	store_location_cb	 cb;
	void			*arg;
};

static int
store_location_row(sqlite3_stmt *s, void *arg)
{
	struct store_location_visit	*w = arg;
	struct store_location		 l;

	l.source = store_col_text(s, 0);
	l.path = store_col_text(s, 1);
	l.present = sqlite3_column_int(s, 2);
	l.first_seen = sqlite3_column_int64(s, 3);
	l.last_seen = sqlite3_column_int64(s, 4);
	return (w->cb(&l, w->arg));
}

int
store_cert_locations(struct store *st, int64_t id, store_location_cb cb,
    void *arg)
{
	sqlite3_stmt			*s = store_stmt(st, ST_CERT_LOCATIONS);
	struct store_location_visit	 w = { cb, arg };

	sqlite3_bind_int64(s, 1, id);
	if (store_walk(st, s, store_location_row, &w, "read locations") < 0)
		return (-1);
	return (0);
}

int
store_counts(struct store *st, time_t now, time_t expiring_until,
    struct store_counts *counts)
{
	sqlite3_stmt	*s = store_stmt(st, ST_COUNTS);

	memset(counts, 0, sizeof(*counts));
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, expiring_until);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return (store_fail(st, "count certificates"));
	}
	counts->total = sqlite3_column_int64(s, 0);
	counts->nes = (long)sqlite3_column_double(s, 1);
	counts->expired = (long)sqlite3_column_double(s, 2);
	counts->not_yet_valid = (long)sqlite3_column_double(s, 3);
	counts->expiring = (long)sqlite3_column_double(s, 4);
	counts->revoked = (long)sqlite3_column_double(s, 5);
	counts->on_hold = (long)sqlite3_column_double(s, 6);
	sqlite3_reset(s);
	return (0);
}

/* Delete the certificate and remember its fingerprint, in one transaction. */
int
store_cert_forget(struct store *st, int64_t id, time_t now)
{
	sqlite3_stmt	*s;
	char		*fp;

	if (store_begin(st) != 0)
		return (-1);
	s = store_stmt(st, ST_CERT_DELETE);
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		store_rollback(st);
		return (store_fail(st, "delete certificate"));
	}
	fp = xstrdup(store_col_text(s, 0));
	sqlite3_reset(s);
	s = store_stmt(st, ST_FORGET);
	sqlite3_bind_text(s, 1, fp, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	free(fp);
	if (store_exec(st, s, "forget certificate") != 0) {
		store_rollback(st);
		return (-1);
	}
	return (store_commit(st));
}

int
store_is_forgotten(struct store *st, const char *fp)
{
	sqlite3_stmt	*s = store_stmt(st, ST_IS_FORGOTTEN);
	int		 rc;

	sqlite3_bind_text(s, 1, fp, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "check forgotten"));
	return (rc == SQLITE_ROW);
}

int
store_unforget(struct store *st, const char *fp)
{
	sqlite3_stmt	*s = store_stmt(st, ST_UNFORGET);

	sqlite3_bind_text(s, 1, fp, -1, SQLITE_STATIC);
	return (store_exec(st, s, "unforget"));
}
