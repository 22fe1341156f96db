/* SPDX-License-Identifier: ISC */
/*
 * mq.c - a mutex-protected list plus an eventfd the loop watches: the
 * threads' one way into the main loop (OpenBSD's privilege-separated
 * processes exchange messages; nesd's threads do the same in-process).
 */

#include "autoconf.h"

#include <sys/eventfd.h>
#include <sys/queue.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "mq.h"
#include "xmalloc.h"

struct mq_msg {
	STAILQ_ENTRY(mq_msg)	 entry;
	void			*msg;
};

struct mq {
	const char		*name;
	int			 fd;
	struct event		*ev;
	pthread_mutex_t		 lock;
	STAILQ_HEAD(, mq_msg)	 msgs;
	mq_cb			 cb;
	void			*arg;
};

/* Take the whole list under the lock, then deliver without it. */
static void
mq_drain_cb(int fd, short events, void *arg)
{
	struct mq		*mq = arg;
	struct mq_msg		*m;
	STAILQ_HEAD(, mq_msg)	 batch = STAILQ_HEAD_INITIALIZER(batch);
	uint64_t		 n;

	if (read(fd, &n, sizeof(n)) == -1 && errno != EAGAIN)
		log_warn("mq %s: read", mq->name);
	pthread_mutex_lock(&mq->lock);
	STAILQ_CONCAT(&batch, &mq->msgs);
	pthread_mutex_unlock(&mq->lock);
	while ((m = STAILQ_FIRST(&batch)) != NULL) {
		STAILQ_REMOVE_HEAD(&batch, entry);
		mq->cb(m->msg, mq->arg);
		free(m);
	}
}

struct mq *
mq_new(struct event_base *base, const char *name, mq_cb cb, void *arg)
{
	struct mq	*mq;

	mq = xcalloc(1, sizeof(*mq));
	mq->name = name;
	mq->cb = cb;
	mq->arg = arg;
	STAILQ_INIT(&mq->msgs);
	pthread_mutex_init(&mq->lock, NULL);
	if ((mq->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("mq %s: eventfd", name);
	mq->ev = event_new(base, mq->fd, EV_READ | EV_PERSIST, mq_drain_cb,
	    mq);
	event_add(mq->ev, NULL);
	return (mq);
}

void
mq_post(struct mq *mq, void *msg)
{
	struct mq_msg	*m;
	uint64_t	 one = 1;

	m = xmalloc(sizeof(*m));
	m->msg = msg;
	pthread_mutex_lock(&mq->lock);
	STAILQ_INSERT_TAIL(&mq->msgs, m, entry);
	pthread_mutex_unlock(&mq->lock);
	if (write(mq->fd, &one, sizeof(one)) == -1 && errno != EAGAIN)
		log_warn("mq %s: write", mq->name);
}

void
mq_free(struct mq *mq, void (*drop)(void *))
{
	struct mq_msg	*m;

	if (mq == NULL)
		return;
	event_free(mq->ev);
	close(mq->fd);
	while ((m = STAILQ_FIRST(&mq->msgs)) != NULL) {
		STAILQ_REMOVE_HEAD(&mq->msgs, entry);
		if (drop != NULL)
			drop(m->msg);
		free(m);
	}
	pthread_mutex_destroy(&mq->lock);
	free(mq);
}
