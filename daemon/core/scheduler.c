/* SPDX-License-Identifier: ISC */
/*
 * scheduler.c - the one place nesd waits for time. Timers are few (one
 * per part, each at that part's next due moment), so a list and a linear
 * search for the earliest are enough. The timerfd is armed at the earliest
 * deadline, converted from nesd's clock to the kernel's, and disarmed when
 * nothing is due: an idle nesd does not wake up.
 */

#include "autoconf.h"

#include <sys/queue.h>
#include <sys/timerfd.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "scheduler.h"
#include "xmalloc.h"

struct sched_timer {
	LIST_ENTRY(sched_timer)	 entry;
	const char		*name;
	sched_cb		 cb;
	void			*arg;
	time_t			 when;		/* 0: not armed */
};

static LIST_HEAD(, sched_timer) sched_timers =
    LIST_HEAD_INITIALIZER(sched_timers);
static int		 sched_fd = -1;
static struct event	*sched_ev;
static unsigned long	 sched_nwakeups;
static int		 sched_running;	/* inside sched_fire */
/* How far nesd's clock runs ahead of the system's: tests only. */
static time_t		 sched_clock_offset;
/* A clock held still (unit tests): it moves only when set. */
static int		 sched_clock_held;
static time_t		 sched_clock_at;

static void	 sched_arm(void);

time_t
sched_now(void)
{
	if (sched_clock_held)
		return (sched_clock_at);
	return (time(NULL) + sched_clock_offset);
}

void
sched_clock_hold(time_t now)
{
	sched_clock_held = 1;
	sched_clock_at = now;
}

void
sched_clock_start(time_t now)
{
	sched_clock_offset = now - time(NULL);
	log_info("test clock: starting at %lld", (long long)now);
}

void
sched_clock_set(time_t now)
{
	if (sched_clock_held)
		sched_clock_at = now;
	else
		sched_clock_offset = now - time(NULL);
	log_info("test clock: now %lld", (long long)now);
	sched_clock_changed();
}

/* Run every timer that is due, then arm for the next one. */
static void
sched_fire(void)
{
	struct sched_timer	*t;
	time_t			 now;
	int			 again = 1;

	sched_running = 1;
	while (again) {
		again = 0;
		now = sched_now();
		LIST_FOREACH(t, &sched_timers, entry) {
			if (t->when == 0 || t->when > now)
				continue;
			t->when = 0;
			log_debug("scheduler: %s due", t->name);
			t->cb(t->arg);
			again = 1;	/* the callback may have changed the list */
			break;
		}
	}
	sched_running = 0;
	sched_arm();
}

static void
sched_cb_timerfd(int fd, short events, void *arg)
{
	uint64_t	 n;

	sched_nwakeups++;
	if (read(fd, &n, sizeof(n)) == -1 && errno == ECANCELED)
		log_info("scheduler: the system clock changed");
	sched_fire();
}

/* Arm the timerfd at the earliest deadline, or disarm it. */
static void
sched_arm(void)
{
	struct sched_timer	*t;
	struct itimerspec	 its;
	time_t			 first = 0;

	if (sched_running || sched_fd == -1)
		return;
	LIST_FOREACH(t, &sched_timers, entry)
		if (t->when != 0 && (first == 0 || t->when < first))
			first = t->when;
	memset(&its, 0, sizeof(its));
	if (first != 0) {
		/* nesd's clock may run ahead of the kernel's in tests. */
		its.it_value.tv_sec = first - (sched_now() - time(NULL));
		if (its.it_value.tv_sec <= 0)
			its.it_value.tv_nsec = 1;
	}
	if (timerfd_settime(sched_fd, TFD_TIMER_ABSTIME |
	    TFD_TIMER_CANCEL_ON_SET, &its, NULL) == -1)
		log_warn("scheduler: timerfd_settime");
}

void
sched_init(struct event_base *base)
{
	sched_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (sched_fd == -1)
		fatal("scheduler: timerfd_create");
	sched_ev = event_new(base, sched_fd, EV_READ | EV_PERSIST,
	    sched_cb_timerfd, NULL);
	event_add(sched_ev, NULL);
}

void
sched_shutdown(void)
{
	if (sched_ev != NULL)
		event_free(sched_ev);
	if (sched_fd != -1)
		close(sched_fd);
	sched_ev = NULL;
	sched_fd = -1;
}

struct sched_timer *
sched_timer_new(const char *name, sched_cb cb, void *arg)
{
	struct sched_timer	*t;

	t = xcalloc(1, sizeof(*t));
	t->name = name;
	t->cb = cb;
	t->arg = arg;
	LIST_INSERT_HEAD(&sched_timers, t, entry);
	return (t);
}

void
sched_timer_free(struct sched_timer *t)
{
	if (t == NULL)
		return;
	LIST_REMOVE(t, entry);
	free(t);
	sched_arm();
}

void
sched_timer_set(struct sched_timer *t, time_t when)
{
	t->when = when > 0 ? when : 1;
	sched_arm();
}

void
sched_timer_clear(struct sched_timer *t)
{
	t->when = 0;
	sched_arm();
}

time_t
sched_timer_when(const struct sched_timer *t)
{
	return (t->when);
}

void
sched_clock_changed(void)
{
	if (!sched_running)
		sched_fire();
}

unsigned long
sched_wakeups(void)
{
	return (sched_nwakeups);
}
