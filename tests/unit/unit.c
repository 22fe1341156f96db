/* SPDX-License-Identifier: ISC */
/*
 * unit.c - the one main() of the unit tests: set up, run the file's suite
 * (each test in its own process, Check's default), tear down, and exit 0
 * only when every test passed.
 */

#include "autoconf.h"

#include <stdlib.h>

#include <check.h>

#include "unit.h"

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	if (unit_test.setup != NULL && unit_test.setup() != 0)
		return (EXIT_FAILURE);
	sr = srunner_create(unit_test.suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (unit_test.teardown != NULL)
		unit_test.teardown();
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
