/*
 * mq.h - messages from a part's own thread to the main loop. A thread
 * never touches shared state: it posts, and the loop runs the callback.
 */
#ifndef NESD_MQ_H
#define NESD_MQ_H

struct event_base;
struct mq;

typedef void (*mq_cb)(void *, void *);

/* A queue whose messages the loop hands to cb(msg, arg), in order. */
struct mq	*mq_new(struct event_base *, const char *, mq_cb, void *);
/* Post from any thread; the message belongs to the callback from now. */
void		 mq_post(struct mq *, void *);
/* Main thread only; undelivered messages are passed to drop (or leaked). */
void		 mq_free(struct mq *, void (*)(void *));

#endif
