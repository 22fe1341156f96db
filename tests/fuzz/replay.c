/* SPDX-License-Identifier: ISC */
/*
 * replay.c - a main for a libFuzzer harness where libFuzzer is missing
 * (no clang): runs each file named on the command line through
 * LLVMFuzzerTestOneInput once, so the seed corpus at least is exercised
 * (under the sanitizers when the compiler has them).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A harness need not have one (libFuzzer's is weak too). */
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char *argv[])
{
	static uint8_t	 buf[1 << 20];
	FILE		*f;
	size_t		 n;
	int		 i;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return (1);
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("replay: %d inputs\n", argc - 1);
	return (0);
}
