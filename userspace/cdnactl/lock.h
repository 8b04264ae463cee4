/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock around every change cdnactl makes to who holds a context:
 * check-and-claim in attach and the hooks, create, destroy, set, restore.
 */
#ifndef CDNA_LOCK_H
#define CDNA_LOCK_H

#include <stddef.h>

#define CDNA_RUN_DIR		"/run/cdna"
#define CDNA_LOCK_FILE		CDNA_RUN_DIR "/lock"
#define CDNA_LOCK_TIMEOUT	30	/* seconds; $CDNACTL_LOCK_TIMEOUT */

int cdna_lock_file(const char *path, unsigned int timeout, int *fd,
		   char *holder, size_t len);
int cdna_lock(void);
void cdna_unlock(void);

#endif /* CDNA_LOCK_H */
