/*
 * unit.h - what each unit test (tests/unit/NAME_test.c) gives the one main()
 * they share (unit.c): its suite, and what to do before and after the run.
 */
#ifndef NESD_UNIT_H
#define NESD_UNIT_H

#include <check.h>

struct unit_test {
	Suite	*(*suite)(void);
	int	 (*setup)(void);	/* before the run: 0, or -1 to fail */
	void	 (*teardown)(void);	/* after it; NULL for nothing */
};

/* Defined by each test file. */
extern const struct unit_test	unit_test;

#endif
