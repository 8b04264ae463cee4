// SPDX-License-Identifier: GPL-2.0
/*
 * Running another program (modprobe) with a bound on its time: cdnactl
 * runs from udev's units at boot and from libvirt's hooks, where a child
 * that hangs must not hang the caller.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cdnactl.h"
#include "commands.h"

/**
 * cdna_run - run a program and wait for it, at most @timeout_s seconds
 * @argv: the program (looked up in $PATH) and its arguments
 * @timeout_s: how long it may take; it is killed after that
 *
 * Return: 0 when it exited with status 0; otherwise -1, said on stderr.
 */
int cdna_run(char *const argv[], unsigned int timeout_s)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	unsigned int waited = 0;
	int status, ret = -1;
	pid_t pid, r;

	/* A caller that ignores SIGCHLD would leave nothing to wait for. */
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, &old);
	pid = fork();
	if (pid < 0) {
		cdna_warn("cannot run %s: %s", argv[0], strerror(errno));
		goto out;
	}
	if (!pid) {
		/* Its own group: a timeout kills what it started too. */
		setpgid(0, 0);
		execvp(argv[0], argv);
		fprintf(stderr, "cdnactl: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			cdna_warn("waiting for %s: %s", argv[0], strerror(errno));
			goto out;
		}
		if (waited >= timeout_s * 1000) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			/* One stuck in the kernel (D state) is left behind. */
			for (waited = 0; waited < 2000 &&
			     waitpid(pid, &status, WNOHANG) != pid; waited += 50)
				cdna_nap(50);
			cdna_warn("%s took more than %u s: killed", argv[0],
				  timeout_s);
			goto out;
		}
		cdna_nap(50);
		waited += 50;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		ret = 0;
	else if (WIFEXITED(status))
		cdna_warn("%s exited %d", argv[0], WEXITSTATUS(status));
	else
		cdna_warn("%s died of signal %d", argv[0], WTERMSIG(status));
out:
	sigaction(SIGCHLD, &old, NULL);
	return ret;
}
