/* SPDX-License-Identifier: ISC */
/*
 * filewatch.c - the configured certificate files and folders. Every path
 * found goes into a queue that the loop drains a batch at a time, so a
 * folder of 100,000 files never stops the control socket from answering;
 * inotify puts changed files back into the same queue. Between batches
 * the loop polls its descriptors (the work is a zero timeout, not an
 * active event, which libevent would run again before any I/O).
 *
 * One file or folder reached by two paths (a symbolic link to a folder
 * above, "ln -s . loop", a link to a file) is read once: the first path
 * seen for a (device, inode) is the one that counts, until it stops
 * naming that inode.
 */

#include "autoconf.h"

#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "filewatch.h"
#include "inventory.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* Files read per turn of the loop. */
#define FILEWATCH_BATCH	128
/* After a storage failure, read the batch again after this, doubling. */
#define FILEWATCH_RETRY_FIRST	5
#define FILEWATCH_RETRY_MAX	300

#define FILEWATCH_MASK	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
	IN_DELETE | IN_CREATE | IN_ONLYDIR | IN_EXCL_UNLINK)

/* A watched folder; names, when set, are the only entries that count. */
struct fw_watch {
	int		 wd;
	char		*dir;
	int		 depth;
	char		**names;
	size_t		 nnames;
};

struct fw_item {
	char		*path;
	int		 depth;
};

/* A (device, inode) and the path it was first found at. */
struct fw_seen {
	dev_t		 dev;
	ino_t		 ino;
	char		*path;		/* NULL: an empty slot */
};

struct filewatch {
	struct store		*store;
	int			 fd;
	struct event		*ev;
	struct event		*work;
	struct fw_watch		*watches;
	size_t			 nwatches;
	struct fw_item		*queue;
	size_t			 qhead, qlen, qcap;
	int			 scan_depth;
	int			 max_file_size;
	struct fw_seen		*seen;		/* open addressing */
	size_t			 nseen, seencap;
	struct fw_item		*retry;		/* not stored: read again */
	size_t			 nretry;
	struct event		*retry_ev;
	int			 retry_delay;
};

static void	 filewatch_work_cb(int, short, void *);
static void	 filewatch_retry_cb(int, short, void *);
static void	 filewatch_inotify_cb(int, short, void *);

struct filewatch *
filewatch_new(struct event_base *base, struct store *st)
{
	struct filewatch	*fw;

	fw = xcalloc(1, sizeof(*fw));
	fw->store = st;
	if ((fw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		log_warn("inotify: certificate folders will not be watched");
	else {
		fw->ev = event_new(base, fw->fd, EV_READ | EV_PERSIST,
		    filewatch_inotify_cb, fw);
		event_add(fw->ev, NULL);
	}
	fw->work = evtimer_new(base, filewatch_work_cb, fw);
	fw->retry_ev = evtimer_new(base, filewatch_retry_cb, fw);
	fw->retry_delay = FILEWATCH_RETRY_FIRST;
	return (fw);
}

static void
filewatch_watch_clear(struct fw_watch *w)
{
	size_t	 i;

	free(w->dir);
	for (i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
}

static void
filewatch_clear(struct filewatch *fw)
{
	size_t	 i;

	for (i = 0; i < fw->nwatches; i++) {
		if (fw->fd != -1)
			inotify_rm_watch(fw->fd, fw->watches[i].wd);
		filewatch_watch_clear(&fw->watches[i]);
	}
	free(fw->watches);
	fw->watches = NULL;
	fw->nwatches = 0;
	for (i = fw->qhead; i < fw->qhead + fw->qlen; i++)
		free(fw->queue[i % fw->qcap].path);
	fw->qhead = fw->qlen = 0;
	for (i = 0; i < fw->nretry; i++)
		free(fw->retry[i].path);
	free(fw->retry);
	fw->retry = NULL;
	fw->nretry = 0;
	if (fw->retry_ev != NULL)
		evtimer_del(fw->retry_ev);
	for (i = 0; i < fw->seencap; i++)
		free(fw->seen[i].path);
	free(fw->seen);
	fw->seen = NULL;
	fw->nseen = fw->seencap = 0;
}

/* Come back to the queue after the loop has polled its descriptors. */
static void
filewatch_kick(struct filewatch *fw)
{
	struct timeval	 tv = { 0, 0 };

	if (!evtimer_pending(fw->work, NULL))
		evtimer_add(fw->work, &tv);
}

static size_t
filewatch_slot(const struct fw_seen *tab, size_t cap, dev_t dev, ino_t ino)
{
	size_t	 i = ((uint64_t)dev * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ino) &
	    (cap - 1);

	while (tab[i].path != NULL && (tab[i].dev != dev || tab[i].ino != ino))
		i = (i + 1) & (cap - 1);
	return (i);
}

static void
filewatch_seen_grow(struct filewatch *fw)
{
	struct fw_seen	*tab;
	size_t		 cap = fw->seencap == 0 ? 256 : fw->seencap * 2, i, j;

	tab = xcalloc(cap, sizeof(*tab));
	for (i = 0; i < fw->seencap; i++) {
		if (fw->seen[i].path == NULL)
			continue;
		j = filewatch_slot(tab, cap, fw->seen[i].dev, fw->seen[i].ino);
		tab[j] = fw->seen[i];
	}
	free(fw->seen);
	fw->seen = tab;
	fw->seencap = cap;
}

/*
 * Whether path is another name for a file or folder already found under
 * a path that still names it (then it is skipped); else path is now the
 * name that counts for its (device, inode).
 */
static int
filewatch_alias(struct filewatch *fw, const char *path, const struct stat *sb)
{
	struct fw_seen	*e;
	struct stat	 other;

	if (fw->nseen * 2 >= fw->seencap)
		filewatch_seen_grow(fw);
	e = &fw->seen[filewatch_slot(fw->seen, fw->seencap, sb->st_dev,
	    sb->st_ino)];
	if (e->path == NULL) {
		e->dev = sb->st_dev;
		e->ino = sb->st_ino;
		e->path = xstrdup(path);
		fw->nseen++;
		return (0);
	}
	if (strcmp(e->path, path) == 0)
		return (0);
	if (stat(e->path, &other) == 0 && other.st_dev == sb->st_dev &&
	    other.st_ino == sb->st_ino)
		return (1);
	free(e->path);
	e->path = xstrdup(path);
	return (0);
}

void
filewatch_free(struct filewatch *fw)
{
	if (fw == NULL)
		return;
	filewatch_clear(fw);
	free(fw->queue);
	if (fw->ev != NULL)
		event_free(fw->ev);
	event_free(fw->work);
	event_free(fw->retry_ev);
	if (fw->fd != -1)
		close(fw->fd);
	free(fw);
}

size_t
filewatch_pending(struct filewatch *fw)
{
	return (fw->qlen);
}

size_t
filewatch_failed(struct filewatch *fw)
{
	return (fw->nretry);
}

/* Queue a path to read, and make sure the loop gets to it. */
static void
filewatch_enqueue(struct filewatch *fw, const char *path, int depth)
{
	struct fw_item	*q;
	size_t		 i, ncap;

	if (fw->qlen == fw->qcap) {
		ncap = fw->qcap == 0 ? 64 : fw->qcap * 2;
		q = xcalloc(ncap, sizeof(*q));
		for (i = 0; i < fw->qlen; i++)
			q[i] = fw->queue[(fw->qhead + i) % fw->qcap];
		free(fw->queue);
		fw->queue = q;
		fw->qcap = ncap;
		fw->qhead = 0;
	}
	q = &fw->queue[(fw->qhead + fw->qlen) % fw->qcap];
	q->path = xstrdup(path);
	q->depth = depth;
	fw->qlen++;
	filewatch_kick(fw);
}

static struct fw_watch *
filewatch_find(struct filewatch *fw, int wd)
{
	size_t	 i;

	for (i = 0; i < fw->nwatches; i++)
		if (fw->watches[i].wd == wd)
			return (&fw->watches[i]);
	return (NULL);
}

/*
 * Watch a folder: all of it, or only the entry name (a configured file, or
 * a configured path that does not exist yet). Watching one folder twice
 * merges the two: all of it wins over a list of names.
 */
static void
filewatch_add(struct filewatch *fw, const char *dir, int depth,
    const char *name)
{
	struct fw_watch	*w;
	int		 wd;

	if (fw->fd == -1)
		return;
	if ((wd = inotify_add_watch(fw->fd, dir, FILEWATCH_MASK)) == -1) {
		log_warn("inotify: %s", dir);
		return;
	}
	if ((w = filewatch_find(fw, wd)) == NULL) {
		fw->watches = xreallocarray(fw->watches, fw->nwatches + 1,
		    sizeof(*fw->watches));
		w = &fw->watches[fw->nwatches++];
		memset(w, 0, sizeof(*w));
		w->wd = wd;
		w->dir = xstrdup(dir);
		w->depth = depth;
		if (name == NULL)
			return;
	} else if (w->nnames == 0 || name == NULL) {
		if (depth < w->depth)
			w->depth = depth;
		if (name == NULL) {
			filewatch_watch_clear(w);
			w->dir = xstrdup(dir);
			w->names = NULL;
			w->nnames = 0;
		}
		return;
	}
	w->names = xreallocarray(w->names, w->nnames + 1, sizeof(*w->names));
	w->names[w->nnames++] = xstrdup(name);
}

/* Read one file into the inventory; -1 if the store could not take it. */
static int
filewatch_read(struct filewatch *fw, const char *path)
{
	struct inventory_item	*items;
	struct stat		 sb;
	unsigned char		*buf;
	char			*cause = NULL;
	ssize_t			 n;
	int			 fd, nitems, rc = 0;
	enum inventory_error	 e;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		log_warn("file %s", path);
		return (0);
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > fw->max_file_size) {
		if (S_ISREG(sb.st_mode))
			log_warnx("file %s: skipped, larger than "
			    "max_file_size (%d bytes)", path, fw->max_file_size);
		close(fd);
		return (0);
	}
	buf = xmalloc(sb.st_size + 1);
	n = read(fd, buf, sb.st_size);
	close(fd);
	if (n < 0)
		log_warn("file %s", path);
	else if ((e = inventory_add(buf, n, INVENTORY_FILE, path, 0, &items,
	    &nitems, &cause)) == INVENTORY_OK)
		inventory_items_free(items, nitems);
	else if (e == INVENTORY_STORAGE) {
		log_warnx("file %s: %s", path, cause);
		rc = -1;
	} else {
		log_debug("file %s: %s", path, cause);
		inventory_gone(path, 0);
	}
	free(cause);
	free(buf);
	return (rc);
}

/* Queue the entries of a folder; hidden ones are editors' and tools'. */
static void
filewatch_readdir(struct filewatch *fw, const char *dir, int depth)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;

	if ((d = opendir(dir)) == NULL) {
		log_warn("folder %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		filewatch_enqueue(fw, path, depth + 1);
		free(path);
	}
	closedir(d);
}

/* One queued path: a folder to watch and list, a file to read, or gone.
 * -1 if the store failed. */
static int
filewatch_visit(struct filewatch *fw, const struct fw_item *item)
{
	struct stat	 sb;

	if (stat(item->path, &sb) == -1) {
		if (errno == ENOENT)
			inventory_gone(item->path, 1);
		else
			log_warn("certificate path %s", item->path);
		return (0);
	}
	if ((S_ISDIR(sb.st_mode) || S_ISREG(sb.st_mode)) &&
	    filewatch_alias(fw, item->path, &sb)) {
		log_debug("certificate path %s: another name for one already "
		    "read, skipped", item->path);
		return (0);
	}
	if (S_ISDIR(sb.st_mode)) {
		if (item->depth > fw->scan_depth)
			return (0);
		filewatch_add(fw, item->path, item->depth, NULL);
		filewatch_readdir(fw, item->path, item->depth);
	} else if (S_ISREG(sb.st_mode))
		return (filewatch_read(fw, item->path));
	else
		log_debug("certificate path %s: not a file or a folder, "
		    "skipped", item->path);
	return (0);
}

/*
 * The store failed during a batch (a full disk, a read-only database):
 * its rollback took the whole batch, so every path of it is read again
 * later, 5 s doubling to 5 min while it keeps failing. Nothing waits for
 * a SIGHUP.
 */
static void
filewatch_retry_later(struct filewatch *fw, struct fw_item *batch, int n)
{
	struct timeval	 tv = { fw->retry_delay, 0 };
	int		 i;

	fw->retry = xreallocarray(fw->retry, fw->nretry + n,
	    sizeof(*fw->retry));
	for (i = 0; i < n; i++) {
		fw->retry[fw->nretry++] = batch[i];
		batch[i].path = NULL;
	}
	log_warnx("certificate paths: the store failed; %zu paths will be "
	    "read again in %d s", fw->nretry, fw->retry_delay);
	if (!evtimer_pending(fw->retry_ev, NULL))
		evtimer_add(fw->retry_ev, &tv);
	fw->retry_delay = fw->retry_delay * 2 > FILEWATCH_RETRY_MAX ?
	    FILEWATCH_RETRY_MAX : fw->retry_delay * 2;
}

static void
filewatch_retry_cb(int fd, short events, void *arg)
{
	struct filewatch	*fw = arg;
	size_t			 i, n = fw->nretry;
	struct fw_item		*list = fw->retry;

	fw->retry = NULL;
	fw->nretry = 0;
	log_info("certificate paths: reading %zu paths again", n);
	for (i = 0; i < n; i++) {
		filewatch_enqueue(fw, list[i].path, list[i].depth);
		free(list[i].path);
	}
	free(list);
}

/* Drain a batch of the queue in one transaction; come back for more. */
static void
filewatch_work_cb(int fd, short events, void *arg)
{
	struct filewatch	*fw = arg;
	struct fw_item		 batch[FILEWATCH_BATCH];
	int			 n, i, failed = 0;

	store_begin(fw->store);
	for (n = 0; n < FILEWATCH_BATCH && fw->qlen > 0; n++) {
		batch[n] = fw->queue[fw->qhead];
		fw->qhead = (fw->qhead + 1) % fw->qcap;
		fw->qlen--;
		if (filewatch_visit(fw, &batch[n]) != 0)
			failed = 1;
	}
	if (store_commit(fw->store) != 0)
		failed = 1;
	if (failed)
		filewatch_retry_later(fw, batch, n);
	else if (n > 0)
		fw->retry_delay = FILEWATCH_RETRY_FIRST;
	for (i = 0; i < n; i++)
		free(batch[i].path);
	if (fw->qlen > 0)
		filewatch_kick(fw);
	else
		log_debug("certificate paths: scan done");
}

static int
filewatch_wanted(const struct fw_watch *w, const char *name)
{
	size_t	 i;

	if (w->nnames == 0)
		return (name[0] != '.');
	for (i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], name) == 0)
			return (1);
	return (0);
}

static void
filewatch_event(struct filewatch *fw, const struct inotify_event *ev)
{
	struct fw_watch	*w;
	char		*path;
	int		 depth;

	if ((w = filewatch_find(fw, ev->wd)) == NULL)
		return;
	if (ev->mask & IN_IGNORED) {
		filewatch_watch_clear(w);
		*w = fw->watches[--fw->nwatches];
		return;
	}
	if (ev->len == 0 || !filewatch_wanted(w, ev->name))
		return;
	xasprintf(&path, "%s/%s", w->dir, ev->name);
	depth = w->nnames == 0 ? w->depth + 1 : w->depth;
	if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
		store_begin(fw->store);
		inventory_gone(path, (ev->mask & IN_ISDIR) != 0);
		store_commit(fw->store);
	} else if ((ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) ||
	    ((ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR)))
		filewatch_enqueue(fw, path, depth);
	free(path);
}

static void
filewatch_inotify_cb(int fd, short events, void *arg)
{
	struct filewatch		*fw = arg;
	char				 buf[16384]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	ssize_t				 n;
	char				*p;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			filewatch_event(fw, ev);
		}
	}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		log_warn("inotify read");
}

/* A configured path: its folder watched for it, itself queued. */
static void
filewatch_root(struct filewatch *fw, const char *path)
{
	struct stat	 sb;
	char		*copy, *dir, *name;

	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			filewatch_enqueue(fw, path, 0);
			return;
		}
	} else if (errno == ENOENT)
		log_warnx("certificate path %s: does not exist (yet); "
		    "watching for it", path);
	copy = xstrdup(path);
	dir = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(path);
	name = basename(copy);
	filewatch_add(fw, dir, 0, name);
	filewatch_enqueue(fw, path, 0);
	free(dir);
	free(copy);
}

void
filewatch_set(struct filewatch *fw, const struct config *conf)
{
	size_t	 i;

	filewatch_clear(fw);
	fw->scan_depth = conf->scan_depth;
	fw->max_file_size = conf->max_file_size;
	for (i = 0; i < conf->ncert_paths; i++)
		filewatch_root(fw, conf->cert_paths[i]);
}
