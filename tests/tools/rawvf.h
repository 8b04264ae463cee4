/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A raw 82576 VF for the test tools that play a hostile driver: its
 * register BAR mapped from /sys/bus/pci/devices/DEV/resource0 (no driver
 * bound), little-endian register accessors, and a monotonic clock.
 * Header-only: each tool is one file.
 */
#ifndef _RAWVF_H_
#define _RAWVF_H_

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "cdna_vf_regs.h"

#define RAWVF_BAR_LEN	16384	/* the VF's BAR0 */

static volatile uint32_t *rawvf_bar;

static inline uint32_t rd(uint32_t reg)
{
	return le32toh(rawvf_bar[reg / 4]);
}

static inline void wr(uint32_t reg, uint32_t val)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	rawvf_bar[reg / 4] = htole32(val);
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The BAR of PCI function @dev mapped; prints a FAIL line if it cannot be. */
static inline int rawvf_map(const char *dev)
{
	char path[128];
	void *p = MAP_FAILED;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", dev);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd >= 0)
		p = mmap(NULL, RAWVF_BAR_LEN, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("FAIL: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rawvf_bar = p;
	return 0;
}

#endif /* _RAWVF_H_ */
