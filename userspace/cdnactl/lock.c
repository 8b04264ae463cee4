// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl's lock: an exclusive flock(2) on /run/cdna/lock.
 *
 * Claiming a context is a check and a change: read the ledger, find the
 * context free (or already the domain's), bind it to vmm_guard, write the
 * owner.  Two claimants running at once (two domains starting, whose
 * hooks libvirt runs in parallel; an attach; the udev rule's restore at
 * boot) would both find it free and both win.  So every command that
 * changes who holds a context, or which contexts exist, takes the lock
 * before it looks and keeps it until it has changed what it decided to:
 * the second claimant then sees the first one's claim.
 *
 * flock(2) because the kernel drops it when its holder dies, however it
 * dies: a killed cdnactl never leaves the lock taken.  The wait is
 * bounded (CDNA_LOCK_TIMEOUT, $CDNACTL_LOCK_TIMEOUT): an admin command,
 * or a hook libvirt waits for, gives up with a message rather than hang
 * behind a stuck holder, whose pid the file holds for that message.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cdnactl.h"
#include "lock.h"
#include "parse.h"

/* The lock this process holds, -1 when none. */
static int lock_fd = -1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { .tv_nsec = ms * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/*
 * Who holds the lock, for the waiters' message.  False when it could not
 * be written: the message then names no pid, nothing worse.
 */
static bool write_holder(int fd)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	return !ftruncate(fd, 0) && pwrite(fd, buf, (size_t)n, 0) == n;
}

/**
 * cdna_lock_file - take an exclusive flock on a file, waiting a bounded time
 * @path: the lock file, created (0644) when missing
 * @timeout: seconds to wait for another holder, 0 = try once
 * @fd: the open file holding the lock; closing it releases the lock
 * @holder: on -ETIMEDOUT, the pid the holder wrote, "" when unknown
 * @len: size of @holder
 *
 * Return: 0, -ETIMEDOUT, or the negative errno of open(2) or flock(2).
 */
int cdna_lock_file(const char *path, unsigned int timeout, int *fd,
		   char *holder, size_t len)
{
	double deadline = now() + timeout;
	ssize_t n;
	int f, err;

	holder[0] = '\0';
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (f < 0)
		return -errno;
	while (flock(f, LOCK_EX | LOCK_NB)) {
		err = errno;
		if (err != EWOULDBLOCK && err != EINTR) {
			close(f);
			return -err;
		}
		if (now() >= deadline) {
			n = pread(f, holder, len - 1, 0);
			holder[n > 0 ? n : 0] = '\0';
			holder[strcspn(holder, "\n")] = '\0';
			close(f);
			return -ETIMEDOUT;
		}
		nap_ms(50);
	}
	write_holder(f);
	*fd = f;
	return 0;
}

static unsigned int lock_timeout(void)
{
	const char *env = getenv("CDNACTL_LOCK_TIMEOUT");
	unsigned long v;
	const char *why;

	if (!env || !*env)
		return CDNA_LOCK_TIMEOUT;
	if (cdna_parse_uint(env, 3600, &v, &why)) {
		cdna_warn("ignoring CDNACTL_LOCK_TIMEOUT '%s': 0 to 3600 seconds",
			  env);
		return CDNA_LOCK_TIMEOUT;
	}
	return (unsigned int)v;
}

/* The pid in the lock file is a live process (not one that died holding it). */
static bool holder_alive(const char *holder)
{
	long pid = strtol(holder, NULL, 10);

	return pid > 0 && (!kill((pid_t)pid, 0) || errno == EPERM);
}

/**
 * cdna_lock - take cdnactl's lock (CDNA_LOCK_FILE), creating CDNA_RUN_DIR
 *
 * Held until cdna_unlock() or the process ends; taking it again while
 * held does nothing.
 *
 * Return: 0, CDNA_EX_TIMEOUT (another holder kept it past the timeout)
 * or CDNA_EX_FAIL; the failures are said on stderr.
 */
int cdna_lock(void)
{
	unsigned int timeout = lock_timeout();
	char holder[24];
	int err;

	if (lock_fd >= 0)
		return 0;
	if (!mkdir(CDNA_RUN_DIR, 0755))
		chmod(CDNA_RUN_DIR, 0755);	/* whatever the umask */
	else if (errno != EEXIST)
		return cdna_err(CDNA_EX_FAIL, "cannot create %s: %s",
				CDNA_RUN_DIR, strerror(errno));
	err = cdna_lock_file(CDNA_LOCK_FILE, timeout, &lock_fd, holder,
			     sizeof(holder));
	if (err == -ETIMEDOUT)
		return cdna_err(CDNA_EX_TIMEOUT,
				"%s has been held for more than %u s by %s%s (another cdnactl or libvirt hook): nothing changed",
				CDNA_LOCK_FILE, timeout,
				holder_alive(holder) ? "pid " : "another process",
				holder_alive(holder) ? holder : "");
	if (err)
		return cdna_err(CDNA_EX_FAIL, "cannot lock %s: %s%s",
				CDNA_LOCK_FILE, strerror(-err),
				err == -EACCES ? " (cdnactl changes contexts as root)" : "");
	return 0;
}

/**
 * cdna_unlock - release cdnactl's lock, if this process holds it
 */
void cdna_unlock(void)
{
	if (lock_fd < 0)
		return;
	close(lock_fd);
	lock_fd = -1;
}
