/* SPDX-License-Identifier: ISC */
/*
 * config_fuzz.c - a libFuzzer harness for nesd.conf: the input is the
 * file, put in a memfd and read by config_load through /proc/self/fd
 * (the same open, fstat and read as a real file) over the defaults of
 * user mode and of system mode. A refusal must name the file; a file
 * that loads must leave a configuration within the table's bounds.
 * tests/regress/fuzz.sh builds it.
 */

#define _GNU_SOURCE

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 fuzz_fd = -1;
static char	 fuzz_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Fixed so that ~/ and the XDG defaults do not vary. */
	setenv("HOME", "/home/fuzz", 1);
	setenv("XDG_CONFIG_HOME", "/home/fuzz/.config", 1);
	setenv("XDG_STATE_HOME", "/home/fuzz/.local/state", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	if ((fuzz_fd = memfd_create("nesd.conf", MFD_CLOEXEC)) == -1) {
		perror("config_fuzz: memfd_create");
		exit(1);
	}
	snprintf(fuzz_path, sizeof(fuzz_path), "/proc/self/fd/%d", fuzz_fd);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*conf;
	char		*cause;
	int		 mode;

	if (ftruncate(fuzz_fd, 0) != 0 ||
	    pwrite(fuzz_fd, data, size, 0) != (ssize_t)size)
		abort();
	for (mode = 0; mode < 2; mode++) {
		conf = config_new(mode);
		cause = NULL;
		if (config_load(conf, fuzz_path, 1, &cause) != 0) {
			if (cause == NULL ||
			    strncmp(cause, fuzz_path, strlen(fuzz_path)) != 0)
				abort();
			free(cause);
		} else if (cause != NULL || conf->nmilestones == 0 ||
		    conf->nmilestones > CONFIG_MAX_MILESTONES ||
		    conf->max_conn_per_uid < 1 || conf->socket_mode > 0777 ||
		    conf->notify_hour < 0 || conf->notify_hour > 23 ||
		    conf->notify_min < 0 || conf->notify_min > 59 ||
		    conf->state_dir == NULL || conf->state_dir[0] != '/')
			abort();
		config_free(conf);
	}
	return (0);
}
