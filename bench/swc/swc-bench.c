// SPDX-License-Identifier: GPL-2.0
/*
 * swc-bench: tests/tools/sw-client, compiled unchanged, with a thin layer
 * between it and the device, for the protection-strategy benchmark
 * (bench/strategies.sh).  The same client, the same VF driver code and the
 * same packet loops then drive a context in every mode:
 *
 *   - software mode: the mdev, as sw-client does (UUID argument);
 *   - IOMMU mode: the VF itself, bound to vmm_guard, opened through its
 *     VFIO group (a PCI address instead of the UUID): sw-client looks for
 *     /sys/bus/mdev/devices/UUID/iommu_group and the ledger under
 *     /sys/bus/mdev/devices/UUID/../guard; where no such mdev exists this
 *     layer reads /sys/bus/pci/devices/ADDR/... instead.  The VFIO calls
 *     (container, type1 mappings of the whole client memory: the "direct
 *     map", device fd by name, MSI-X eventfds) are the same for both.
 *
 * SWC_BAR0=mmap maps BAR0 and turns the client's pread/pwrite of BAR0 into
 * loads and stores, as a VMM that maps a passed-through BAR into its guest
 * gives the guest (no exit per register access).  A region without
 * VFIO_REGION_INFO_FLAG_MMAP (the mdev's: every access must trap) keeps
 * pread/pwrite.  The default (SWC_BAR0=rw) is pread/pwrite, one system
 * call per register access, as sw-client does.
 *
 * It counts the client's BAR0 accesses and the time spent in them: reads,
 * writes, RX and TX tail writes.  In software mode each one is a trap into
 * the guard (the equivalent of a VM exit to the VMM and then the guard);
 * a tail write is where the guard validates, pins and maps.  SIGUSR1 prints
 * the counters so far as one line, and they are printed again at exit:
 *   bar0: mode=mmap|rw rd=N wr=N rdt=N tdt=N rd_ns=N wr_ns=N rdt_ns=N tdt_ns=N
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static ssize_t shim_pread(int fd, void *buf, size_t n, off_t off);
static ssize_t shim_pwrite(int fd, const void *buf, size_t n, off_t off);
static ssize_t shim_readlink(const char *path, char *buf, size_t n);
static FILE *shim_fopen(const char *path, const char *mode);
static int shim_ioctl(int fd, unsigned long req, ...);

#define pread shim_pread
#define pwrite shim_pwrite
#define readlink shim_readlink
#define fopen shim_fopen
#define ioctl shim_ioctl
/* sw-client.c as committed (the Makefile's copy), or the working tree's. */
#ifdef SWC_SRC
#include SWC_SRC
#else
#include "../../tests/tools/sw-client.c"
#endif
#undef pread
#undef pwrite
#undef readlink
#undef fopen
#undef ioctl

static int dev_fd = -1;
static uint64_t bar_off, bar_size;
static volatile uint8_t *bar_map;
static int want_mmap;

static volatile uint64_t c_rd, c_wr, c_rdt, c_tdt;
static volatile uint64_t t_rd, t_wr, t_rdt, t_tdt;

static inline uint64_t ns_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

static bool is_bar0(int fd, size_t n, off_t off)
{
	return fd >= 0 && fd == dev_fd && bar_size && n == 4 &&
	       (uint64_t)off >= bar_off && (uint64_t)off + 4 <= bar_off + bar_size;
}

static ssize_t shim_pread(int fd, void *buf, size_t n, off_t off)
{
	uint64_t t0;
	ssize_t r;

	if (!is_bar0(fd, n, off))
		return pread(fd, buf, n, off);
	t0 = ns_now();
	if (bar_map) {
		uint32_t v = *(volatile uint32_t *)(bar_map + (off - bar_off));

		memcpy(buf, &v, 4);
		r = 4;
	} else {
		r = pread(fd, buf, n, off);
	}
	t_rd += ns_now() - t0;
	c_rd++;
	return r;
}

static ssize_t shim_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	uint64_t t0, dt;
	uint32_t reg;
	ssize_t r;

	if (!is_bar0(fd, n, off))
		return pwrite(fd, buf, n, off);
	reg = off - bar_off;
	t0 = ns_now();
	if (bar_map) {
		uint32_t v;

		memcpy(&v, buf, 4);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		*(volatile uint32_t *)(bar_map + reg) = v;
		r = 4;
	} else {
		r = pwrite(fd, buf, n, off);
	}
	dt = ns_now() - t0;
	t_wr += dt;
	c_wr++;
	if (reg == CDNA_VF_TDT(0)) {
		c_tdt++;
		t_tdt += dt;
	} else if (reg == CDNA_VF_RDT(0)) {
		c_rdt++;
		t_rdt += dt;
	}
	return r;
}

/* /sys/bus/mdev/devices/NAME/REST -> /sys/bus/pci/devices/NAME/REST */
#define MDEV_DIR "/sys/bus/mdev/devices/"
static const char *pci_path(const char *path, char *out, size_t len)
{
	const char *name = path + strlen(MDEV_DIR), *slash;
	char dir[PATH_MAX];
	struct stat st;

	if (strncmp(path, MDEV_DIR, strlen(MDEV_DIR)))
		return path;
	slash = strchr(name, '/');
	if (!slash)
		return path;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (!stat(dir, &st))
		return path;		/* a real mdev: as sw-client means */
	/* NAME/../guard/FILE: the ledger is the VF's own guard/ */
	if (!strncmp(slash, "/../", 4))
		snprintf(out, len, "/sys/bus/pci/devices/%.*s/%s",
			 (int)(slash - name), name, slash + 4);
	else
		snprintf(out, len, "/sys/bus/pci/devices/%s", name);
	return out;
}

static ssize_t shim_readlink(const char *path, char *buf, size_t n)
{
	char p[PATH_MAX];

	return readlink(pci_path(path, p, sizeof(p)), buf, n);
}

static FILE *shim_fopen(const char *path, const char *mode)
{
	char p[PATH_MAX];

	return fopen(pci_path(path, p, sizeof(p)), mode);
}

static int shim_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int r;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	r = ioctl(fd, req, arg);
	if (req == VFIO_GROUP_GET_DEVICE_FD && r >= 0) {
		dev_fd = r;
		bar_size = 0;
		bar_map = NULL;
	} else if (req == VFIO_DEVICE_GET_REGION_INFO && r == 0 && fd == dev_fd) {
		struct vfio_region_info *ri = arg;

		if (ri->index == VFIO_PCI_BAR0_REGION_INDEX && ri->size) {
			bar_off = ri->offset;
			bar_size = ri->size;
			if (want_mmap && (ri->flags & VFIO_REGION_INFO_FLAG_MMAP)) {
				void *m = mmap(NULL, ri->size, PROT_READ | PROT_WRITE,
					       MAP_SHARED, fd, ri->offset);

				if (m == MAP_FAILED)
					fprintf(stderr, "swc-bench: mmap BAR0: %s\n",
						strerror(errno));
				else
					bar_map = m;
			}
		}
	}
	return r;
}

/* Async-signal-safe enough: snprintf of integers, one write(). */
static void counters(const char *tag)
{
	char line[320];
	int n;

	n = snprintf(line, sizeof(line),
		     "%s: mode=%s rd=%llu wr=%llu rdt=%llu tdt=%llu rd_ns=%llu wr_ns=%llu rdt_ns=%llu tdt_ns=%llu\n",
		     tag, bar_map ? "mmap" : "rw",
		     (unsigned long long)c_rd, (unsigned long long)c_wr,
		     (unsigned long long)c_rdt, (unsigned long long)c_tdt,
		     (unsigned long long)t_rd, (unsigned long long)t_wr,
		     (unsigned long long)t_rdt, (unsigned long long)t_tdt);
	if (n > 0 && write(1, line, n) < 0)
		return;
}

static void on_usr1(int sig)
{
	(void)sig;
	counters("bar0");
}

static void at_exit(void)
{
	counters("bar0-exit");
}

__attribute__((constructor)) static void shim_init(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	const char *m = getenv("SWC_BAR0");

	want_mmap = m && !strcmp(m, "mmap");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	atexit(at_exit);
}
