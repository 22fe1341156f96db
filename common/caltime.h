/*
 * caltime.h - calendar arithmetic in local time for milestones.
 */
#ifndef NES_CALTIME_H
#define NES_CALTIME_H

#include <stddef.h>
#include <time.h>

/* A milestone offset before notAfter: N calendar months or N days. */
struct caltime_offset {
	int	 months;
	int	 days;
};

/*
 * Parse "3m" / "25d" / "0d" into off; 0 on success, -1 with *cause set.
 */
int	caltime_offset_parse(const char *, struct caltime_offset *, char **);

/* Print an offset back as "3m" or "25d". */
void	caltime_offset_format(const struct caltime_offset *, char *, size_t);

/*
 * The moment "off before t" at local time of day hh:mm: the local date of t
 * moved back by off (months clamp to the last day of the shorter month), then
 * set to hh:mm local. An offset of 0 days returns t itself (the expiry).
 */
time_t	caltime_before(time_t, const struct caltime_offset *, int, int);

/* The local date of t at hh:mm local time. */
time_t	caltime_at(time_t, int, int);

/* Calendar year/month(1-12)/day arithmetic, exposed for tests. */
int	caltime_days_in_month(int, int);
void	caltime_sub_months(int *, int *, int *, int);

/* Whole days from now to t, rounded down (negative once t has passed). */
long	caltime_days_until(time_t, time_t);

/*
 * Days left until t as a holder counts them: calendar days from the local
 * date of now to the local date of t (0 on the day itself, negative once
 * that day has passed). Every output that says "N days" uses this one.
 */
long	caltime_days_left(time_t, time_t);

/*
 * t in local time by a strftime format. What people read goes through
 * caltime_show_date and caltime_show_time, whose formats pass through
 * gettext: Turkish output writes dates as the portal does, 05.01.2027.
 */
void	caltime_format(time_t, const char *, char *, size_t);
void	caltime_show_date(time_t, char *, size_t);
void	caltime_show_time(time_t, char *, size_t);

/* "2027-01-05T09:30:00Z" (UTC) and "2027-01-05" (local date). */
void	caltime_iso(time_t, char *, size_t);
void	caltime_date(time_t, char *, size_t);

/* Parse "HH:MM" into hh, mm; 0 or -1. */
int	caltime_hhmm_parse(const char *, int *, int *);

#endif
