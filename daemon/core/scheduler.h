/*
 * scheduler.h - absolute wall-clock deadlines on one timerfd
 * (CLOCK_REALTIME, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET): a clock
 * change or a resume from suspend fires what became due at once, and
 * nothing wakes while nothing is due. Each part keeps one timer armed at
 * its own next due moment (reminders, outbox retries, status checks).
 */
#ifndef NESD_SCHEDULER_H
#define NESD_SCHEDULER_H

#include <time.h>

struct event_base;
struct sched_timer;

typedef void (*sched_cb)(void *);

/* Wall-clock now: the one place the daemon asks for the time. */
time_t		 sched_now(void);
/* Start nesd's clock at a moment (tests: it then runs on). */
void		 sched_clock_start(time_t);
/*
 * Stop nesd's clock at a moment (unit tests): it then moves only by
 * sched_clock_set, so what a test computes from it holds exactly.
 */
void		 sched_clock_hold(time_t);
/* Move nesd's clock (tests); what became due fires at once. */
void		 sched_clock_set(time_t);

/*
 * Watch the timerfd on base. Without it (a unit test), timers only keep
 * their moment and nothing is armed: sched_clock_set and
 * sched_clock_changed run what is due on the caller's stack.
 */
void		 sched_init(struct event_base *);
void		 sched_shutdown(void);

/* A named timer, not armed. name is for logs and status. */
struct sched_timer *sched_timer_new(const char *, sched_cb, void *);
void		 sched_timer_free(struct sched_timer *);
/* Arm at an absolute moment of sched_now()'s clock (past: at once). */
void		 sched_timer_set(struct sched_timer *, time_t);
void		 sched_timer_clear(struct sched_timer *);
/* When it fires next, or 0 when not armed. */
time_t		 sched_timer_when(const struct sched_timer *);

/* The clock moved (test hook, or the kernel said so): fire what is due. */
void		 sched_clock_changed(void);
/* Wakeups of the timerfd so far, for status and benchmarks. */
unsigned long	 sched_wakeups(void);

#endif
