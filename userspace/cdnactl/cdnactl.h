/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdnactl: exit codes and error reporting, shared by every command.
 *
 * Each kind of bad input has its own exit status (cdnactl.8, EXIT STATUS),
 * so that scripts and the libvirt hook's callers can tell them apart.
 */
#ifndef CDNACTL_H
#define CDNACTL_H

#include <stdbool.h>

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

enum cdna_exit {
	CDNA_EX_OK = 0,
	CDNA_EX_FAIL = 1,	/* the kernel or libvirt refused, I/O error */
	CDNA_EX_USAGE = 2,	/* bad syntax: command, option, setting name */
	CDNA_EX_INVALID = 3,	/* bad value: MAC, VLAN, qos, rate, state, count, conf file */
	CDNA_EX_NOTFOUND = 4,	/* unknown PF, context or domain */
	CDNA_EX_BUSY = 5,	/* context or PF in use */
	CDNA_EX_NOFREE = 6,	/* no free context */
	CDNA_EX_ISOLATION = 7,	/* vmm_guard refused the context: not isolated */
	CDNA_EX_TIMEOUT = 8,	/* the guest, the scrub or the lock: not in time */
	CDNA_EX_STATE = 9,	/* the domain is not running */
	CDNA_EX_NAME = 10,	/* a domain name the guard's ledger cannot hold */
};

/* The libvirt URI of -c, LIBVIRT_DEFAULT_URI or the default. */
struct cdna_opts {
	const char *uri;
};

__printf(2, 3) int cdna_err(int code, const char *fmt, ...);
__printf(1, 2) void cdna_warn(const char *fmt, ...);

#endif /* CDNACTL_H */
