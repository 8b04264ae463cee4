/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the modules' failure paths, in the manner of
 * netdevsim: debugfs knobs under /sys/kernel/debug/MODULE/ make a chosen
 * operation fail.  Each knob holds a count: N > 0 fails the next N tries,
 * -1 fails every try, 0 (the default) never.  The knobs exist only with
 * CONFIG_DEBUG_FS; they are for tests, and reading one shows what is left.
 * cdna_pf's knobs are in cdna-pf/pf_fault.h, the guard's in
 * vmm-guard/guard.h.
 */
#ifndef _CDNA_FAULT_H_
#define _CDNA_FAULT_H_

#include <linux/atomic.h>
#include <linux/types.h>

struct dentry;

/**
 * struct cdna_faults - one module's set of knobs
 * @module: the debugfs directory, and the prefix of the log line
 * @names: each knob's file name, by fault point
 * @left: each point's tries left to fail: N, -1 for always, 0 for never
 * @num: the number of points
 * @dir: the debugfs directory, once created
 */
struct cdna_faults {
	const char *module;
	const char * const *names;
	atomic_t *left;
	unsigned int num;
	struct dentry *dir;
};

bool cdna_faults_hit(struct cdna_faults *f, unsigned int point);
void cdna_faults_init(struct cdna_faults *f);
void cdna_faults_exit(struct cdna_faults *f);

#endif /* _CDNA_FAULT_H_ */
