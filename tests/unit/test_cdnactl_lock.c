// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of cdnactl's lock (userspace/cdnactl/lock.c): a second
 * claimant waits a bounded time and learns who holds the lock; the lock
 * is free again once its holder lets go.  flock(2) locks belong to an open
 * file, so one process opening the file twice is two claimants.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cdnactl.h"
#include "lock.h"

/* lock.c reports through these (main.c in the tool). */
int cdna_err(int code, const char *fmt, ...)
{
	(void)fmt;
	return code;
}

void cdna_warn(const char *fmt, ...)
{
	(void)fmt;
}

static char dir[64];
static char path[96];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cdna-lock-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/lock", dir);
	return 0;
}

static int remove_dir(void **state)
{
	char link[128];

	(void)state;
	snprintf(link, sizeof(link), "%s/link", dir);
	unlink(link);
	unlink(path);
	return rmdir(dir);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_bounded_wait(void **state)
{
	char holder[24], want[24];
	int fd = -1, fd2 = -1;
	double t;

	(void)state;
	assert_int_equal(cdna_lock_file(path, 0, &fd, holder, sizeof(holder)), 0);
	assert_true(fd >= 0);
	/* Held: tried once, or for a second, then -ETIMEDOUT with the pid. */
	snprintf(want, sizeof(want), "%ld", (long)getpid());
	assert_int_equal(cdna_lock_file(path, 0, &fd2, holder, sizeof(holder)),
			 -ETIMEDOUT);
	assert_string_equal(holder, want);
	t = now();
	assert_int_equal(cdna_lock_file(path, 1, &fd2, holder, sizeof(holder)),
			 -ETIMEDOUT);
	t = now() - t;
	assert_true(t >= 1.0 && t < 3.0);
	assert_int_equal(fd2, -1);
	/* Let go: the next claimant gets it at once. */
	close(fd);
	assert_int_equal(cdna_lock_file(path, 0, &fd2, holder, sizeof(holder)), 0);
	assert_true(fd2 >= 0);
	close(fd2);
}

static void test_open_refused(void **state)
{
	char holder[24], missing[128], link[128];
	int fd = -1;

	(void)state;
	snprintf(missing, sizeof(missing), "%s/none/lock", dir);
	assert_int_equal(cdna_lock_file(missing, 0, &fd, holder, sizeof(holder)),
			 -ENOENT);
	/* Never through a symlink someone left in its place. */
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(cdna_lock_file(link, 0, &fd, holder, sizeof(holder)),
			 -ELOOP);
	assert_int_equal(fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded_wait),
		cmocka_unit_test(test_open_refused),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
