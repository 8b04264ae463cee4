// SPDX-License-Identifier: GPL-2.0
/*
 * sw-client: a userspace VFIO client of the guard's software mode.  It
 * plays both the VMM (QEMU's part: container, type1 DMA mappings, the
 * mdev's device fd, MSI-X eventfds) and the guest's VF driver (registers
 * through pread/pwrite on BAR0, the PF/VF mailbox reset handshake, rings
 * and buffers in the DMA-mapped memory), so that the lab can test the
 * mediated 82576 VF without booting a guest.
 *
 *   sw-client info UUID
 *   sw-client reset UUID
 *   sw-client serve UUID --ip A.B.C.D [--seconds N] [--straddle] [--count-frames]
 *   sw-client blast UUID --dst MAC --count N --size S [--ip A.B.C.D]
 *                        [--dst-ip A.B.C.D] [--rate PPS] [--straddle] [--head-wb]
 *   sw-client unmap-busy UUID [--seconds N] [--partial]
 *   sw-client inflight-close UUID
 *   sw-client refuse UUID
 *   sw-client flood UUID [--count N]
 *   sw-client irq-model UUID
 * and, for the other end of the wire (plain sockets, run in a namespace):
 *   sw-client udp-send --dst A.B.C.D --count N --size S [--rate PPS]
 *   sw-client udp-recv --count N [--seconds N]
 *
 * Common options: --iova HEX (IOVA of the DMA mapping, default 0x40000000).
 *
 * serve answers ARP and ICMP echo for its address and checks UDP datagrams
 * to port 9000 against the pattern (seq, then bytes pat_byte(seq, i));
 * --count-frames prints a "frames:" progress line every second; the
 * "summary:" line at exit has the counters as key=value.  --straddle puts
 * every RX buffer and TX frame across a 4 KiB page boundary of anonymous
 * memory whose neighbouring pages are made not host-contiguous.
 * unmap-busy unmaps the memory (--partial: only the TX buffers) with
 * descriptors in flight and checks that the call returns, that nothing
 * stays pinned and nothing more is written (--partial: RX goes on, a TX
 * buffer in the unmapped part is not sent); inflight-close closes the
 * device with both queues running and checks the same; refuse posts
 * descriptors outside the VM's memory and wants them refused; flood
 * posts bad ones until the guard quarantines the context, then wants
 * EIO from BAR0 and VFIO_DEVICE_RESET.  The
 * memory is mapped in three pieces (rings, RX buffers, TX buffers), as
 * QEMU maps guest RAM in regions.
 *
 * Registers are cdna_vf_regs.h's, descriptors cdna_desc.h's, mailbox
 * messages cdna_mbx.h's (its codec is linked in).  Every wait is bounded;
 * a kernel call that hangs (UNMAP_DMA, close, RESET) is reported by a
 * watchdog thread as FAIL.
 *
 * Exit status: 0 pass, 1 a check failed ("FAIL: ..." lines), 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <linux/pci_regs.h>
#include <net/ethernet.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * The lab kernel's (6.12) VFIO uapi: the Makefile names the header, since
 * /usr/include/linux/vfio.h is bookworm's 6.1 one.  An unprocessed uapi
 * header still says __user.
 */
#ifndef __user
#define __user
#endif
#ifdef VFIO_UAPI_H
#include VFIO_UAPI_H
#else
#include <linux/vfio.h>
#endif

#include "cdna_desc.h"
#include "cdna_mbx.h"
#include "cdna_sysfs_abi.h"
#include "cdna_vf_regs.h"

/* The vectors, as the stock igbvf and cdna_vf lay them out. */
#define VEC_TX			0
#define VEC_RX			1
#define VEC_MBX			2
#define VEC_ALL			GENMASK(CDNA_VF_NUM_MSIX - 1, 0)

#define RING_COUNT		256
#define RX_BUF_LEN		2048
#define PAGE			4096u

/* The DMA-mapped area, offsets from its start. */
#define MEM_RX_RING		0x000000
#define MEM_TX_RING		0x001000
#define MEM_HEAD_WB		0x002000	/* TX head write-back target */
#define MEM_RX_BUF		0x010000	/* up to 256 * 4 KiB + 4 KiB */
#define MEM_TX_BUF		0x200000	/* 256 slots of 8 KiB */
#define TX_SLOT			8192u
#define MEM_SIZE		0x400000

/*
 * The area is mapped in three pieces, as QEMU maps guest RAM in regions:
 * an unmap of one of them leaves the others to the VM.
 */
static const struct chunk {
	uint32_t off, len;
	const char *name;
} chunks[] = {
	{ 0, MEM_RX_BUF, "rings" },
	{ MEM_RX_BUF, MEM_TX_BUF - MEM_RX_BUF, "RX buffers" },
	{ MEM_TX_BUF, MEM_SIZE - MEM_TX_BUF, "TX buffers" },
};
#define NCHUNKS			ARRAY_SIZE(chunks)
#define CHUNK_TX_BUF		2
#define DEFAULT_IOVA		0x40000000ull

#define UDP_PORT		9000
#define UDP_SRC_PORT		9001
#define MIN_FRAME		60	/* without FCS */
#define MAX_FRAME		1514

/* Mailbox timeouts, cdna_vf's (wall-clock ms). */
#define MBX_LOCK_MS		100
#define MBX_ACK_MS		3000
#define MBX_REPLY_MS		3000
#define MBX_RST_SETTLE_MS	1000
#define MBX_STRAY_MAX		4

static int nfail;
static volatile sig_atomic_t stop;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
	nfail++;
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Watchdog: a kernel call that must return (UNMAP_DMA, close, RESET) is
 * bracketed by wd_arm()/wd_disarm(); if it does not return in time the
 * thread says so and ends the process.
 */
static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *wd_what;
static uint64_t wd_deadline;

static void *wd_thread(void *arg)
{
	(void)arg;
	for (;;) {
		sleep_ms(200);
		pthread_mutex_lock(&wd_lock);
		if (wd_what && now_ms() > wd_deadline) {
			printf("FAIL: %s did not return in time (watchdog)\n",
			       wd_what);
			fflush(stdout);
			_exit(1);
		}
		pthread_mutex_unlock(&wd_lock);
	}
	return NULL;
}

static void wd_start(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, wd_thread, NULL) == 0)
		pthread_detach(t);
}

static void wd_arm(const char *what, unsigned int seconds)
{
	pthread_mutex_lock(&wd_lock);
	wd_what = what;
	wd_deadline = now_ms() + seconds * 1000ull;
	pthread_mutex_unlock(&wd_lock);
}

static void wd_disarm(void)
{
	pthread_mutex_lock(&wd_lock);
	wd_what = NULL;
	pthread_mutex_unlock(&wd_lock);
}

/* The UDP payload pattern: seq (big endian), then pat_byte(seq, i). */
static uint8_t pat_byte(uint32_t seq, uint32_t i)
{
	uint32_t x = seq * 0x9e3779b1u ^ (i + 1) * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x >> 8;
}

static void pat_fill(uint8_t *p, uint32_t len, uint32_t seq)
{
	uint32_t i, be = htonl(seq);

	memcpy(p, &be, 4);
	for (i = 0; i + 4 < len; i++)
		p[4 + i] = pat_byte(seq, i);
}

/* 0 if @p holds the pattern; else the first bad offset + 1. */
static uint32_t pat_check(const uint8_t *p, uint32_t len, uint32_t *seq)
{
	uint32_t i, be;

	if (len < 4)
		return 1;
	memcpy(&be, p, 4);
	*seq = ntohl(be);
	for (i = 0; i + 4 < len; i++)
		if (p[4 + i] != pat_byte(*seq, i))
			return i + 5;
	return 0;
}

/* Internet checksum, on big-endian 16-bit words. */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static uint32_t udp_pseudo(const struct iphdr *ip, uint16_t ulen)
{
	uint32_t sum = 0;

	sum = csum_add(sum, &ip->saddr, 4);
	sum = csum_add(sum, &ip->daddr, 4);
	return sum + IPPROTO_UDP + ulen;
}

static bool parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return false;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return false;
		mac[i] = b[i];
	}
	return true;
}

static const char *mac_str(const uint8_t *m)
{
	static char buf[4][18];
	static int n;
	char *s = buf[n++ % 4];

	snprintf(s, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return s;
}

/*
 * A file of the guard's ledger of the mdev's parent context
 * (/sys/bus/mdev/devices/UUID/../guard/NAME); -1 if it cannot be read.
 */
static long long ledger_read(const char *uuid, const char *name)
{
	char path[PATH_MAX], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/../%s/%s",
		 uuid, CDNA_LEDGER_DIR, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtoll(buf, NULL, 0);
	fclose(f);
	return v;
}

/* ------------------------------------------------------------------ */
/* The VMM part: container, group, DMA mapping, device fd, MSI-X.      */

struct stats {
	uint64_t rx, tx, bad, arp, icmp, icmp_bad, udp_ok, udp_bad, other;
	uint64_t rx_refused, rx_frag, tx_busy, tx_done;
	uint64_t irq[CDNA_VF_NUM_MSIX];
	uint32_t udp_max_seq;
};

struct swc {
	const char *uuid;
	int container, group, fd;
	uint64_t cfg_off, bar0_off, bar3_off;
	uint64_t cfg_size, bar0_size, bar3_size;
	int efd[CDNA_VF_NUM_MSIX];
	bool irqs_armed;

	uint8_t *mem;
	uint64_t iova;
	bool mapped[NCHUNKS];
	bool straddle;

	unsigned int reg_errs;
	uint32_t v2p;		/* latched read-to-clear mailbox bits */
	uint8_t mac[6];

	/* the guest driver's rings */
	union cdna_rx_desc *rxr;
	union cdna_tx_desc *txr;
	uint32_t rx_clean, rx_tail;
	uint32_t tx_clean, tx_tail;
	uint32_t tx_len[RING_COUNT];

	uint32_t ip;		/* network order; 0: none */
	struct stats st;
};

static uint32_t rd32(struct swc *s, uint32_t reg)
{
	uint32_t v;

	if (pread(s->fd, &v, 4, s->bar0_off + reg) != 4) {
		if (s->reg_errs++ < 5)
			fail("pread BAR0+0x%04x: %s", reg, strerror(errno));
		return 0;
	}
	return le32toh(v);
}

static void wr32(struct swc *s, uint32_t reg, uint32_t val)
{
	uint32_t v = htole32(val);

	if (pwrite(s->fd, &v, 4, s->bar0_off + reg) != 4 &&
	    s->reg_errs++ < 5)
		fail("pwrite BAR0+0x%04x=0x%08x: %s", reg, val, strerror(errno));
}

static int cfg_read(struct swc *s, void *buf, size_t len, uint64_t off)
{
	return pread(s->fd, buf, len, s->cfg_off + off) == (ssize_t)len ? 0 : -1;
}

static int cfg_write(struct swc *s, const void *buf, size_t len, uint64_t off)
{
	return pwrite(s->fd, buf, len, s->cfg_off + off) == (ssize_t)len ? 0 : -1;
}

static int region_info(struct swc *s, uint32_t index,
		       struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(s->fd, VFIO_DEVICE_GET_REGION_INFO, ri);
}

/*
 * Fault the pages of [p, p + len) in an order that keeps neighbouring
 * virtual pages apart in host memory: every even page first, then every
 * odd one, so consecutive pages come from separate runs of allocations.
 */
static void mem_fault_interleaved(uint8_t *p, size_t len)
{
	size_t i, n = len / PAGE;

	for (i = 0; i < n; i += 2)
		p[i * PAGE] = 0;
	for (i = 1; i < n; i += 2)
		p[i * PAGE] = 0;
}

static int swc_open(struct swc *s, const char *uuid, uint64_t iova)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_region_info ri;
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	int i;

	memset(s, 0, sizeof(*s));
	s->uuid = uuid;
	s->container = s->group = s->fd = -1;
	for (i = 0; i < CDNA_VF_NUM_MSIX; i++)
		s->efd[i] = -1;
	s->iova = iova;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		fail("%s: %s", path, strerror(errno));
		return -1;
	}
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	s->group = open(path, O_RDWR);
	if (s->group < 0) {
		fail("open %s: %s", path, strerror(errno));
		return -1;
	}
	if (ioctl(s->group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fail("group %s not viable (flags 0x%x): %s", path, gs.flags,
		     strerror(errno));
		return -1;
	}
	s->container = open("/dev/vfio/vfio", O_RDWR);
	if (s->container < 0) {
		fail("open /dev/vfio/vfio: %s", strerror(errno));
		return -1;
	}
	if (ioctl(s->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		fail("VFIO API version mismatch");
		return -1;
	}
	if (ioctl(s->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1) {
		fail("container has no VFIO_TYPE1v2_IOMMU (vfio_iommu_type1 loaded?)");
		return -1;
	}
	if (ioctl(s->group, VFIO_GROUP_SET_CONTAINER, &s->container)) {
		fail("VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
		return -1;
	}
	if (ioctl(s->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		fail("VFIO_SET_IOMMU(TYPE1v2): %s", strerror(errno));
		return -1;
	}

	/* Guest RAM: anonymous, 4 KiB pages, mapped the way QEMU maps it. */
	s->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED) {
		s->mem = NULL;
		fail("mmap: %s", strerror(errno));
		return -1;
	}
	madvise(s->mem, MEM_SIZE, MADV_NOHUGEPAGE);
	mem_fault_interleaved(s->mem, MEM_SIZE);
	for (i = 0; i < (int)NCHUNKS; i++) {
		map.vaddr = (uintptr_t)s->mem + chunks[i].off;
		map.iova = s->iova + chunks[i].off;
		map.size = chunks[i].len;
		map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
		if (ioctl(s->container, VFIO_IOMMU_MAP_DMA, &map)) {
			fail("VFIO_IOMMU_MAP_DMA(%s, iova 0x%llx): %s",
			     chunks[i].name, (unsigned long long)map.iova,
			     strerror(errno));
			return -1;
		}
		s->mapped[i] = true;
	}

	s->fd = ioctl(s->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (s->fd < 0) {
		fail("VFIO_GROUP_GET_DEVICE_FD(%s): %s", uuid, strerror(errno));
		return -1;
	}
	if (region_info(s, VFIO_PCI_CONFIG_REGION_INDEX, &ri)) {
		fail("GET_REGION_INFO(config): %s", strerror(errno));
		return -1;
	}
	s->cfg_off = ri.offset;
	s->cfg_size = ri.size;
	if (region_info(s, VFIO_PCI_BAR0_REGION_INDEX, &ri)) {
		fail("GET_REGION_INFO(BAR0): %s", strerror(errno));
		return -1;
	}
	s->bar0_off = ri.offset;
	s->bar0_size = ri.size;
	if (region_info(s, VFIO_PCI_BAR3_REGION_INDEX, &ri) == 0) {
		s->bar3_off = ri.offset;
		s->bar3_size = ri.size;
	}
	s->rxr = (union cdna_rx_desc *)(s->mem + MEM_RX_RING);
	s->txr = (union cdna_tx_desc *)(s->mem + MEM_TX_RING);
	return 0;
}

/* One UNMAP_DMA of chunks [first, first + n): bounded by the watchdog. */
static int dma_unmap_chunks(struct swc *s, unsigned int first, unsigned int n,
			    const char *why)
{
	struct vfio_iommu_type1_dma_unmap um = { .argsz = sizeof(um) };
	uint64_t t0 = now_ms(), want = 0;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++)
		if (s->mapped[i])
			want += chunks[i].len;
	if (!want)
		return 0;
	um.iova = s->iova + chunks[first].off;
	um.size = chunks[first + n - 1].off + chunks[first + n - 1].len -
		  chunks[first].off;
	wd_arm("VFIO_IOMMU_UNMAP_DMA", 30);
	ret = ioctl(s->container, VFIO_IOMMU_UNMAP_DMA, &um);
	wd_disarm();
	if (ret) {
		fail("VFIO_IOMMU_UNMAP_DMA (%s): %s", why, strerror(errno));
		return -1;
	}
	for (i = first; i < first + n; i++)
		s->mapped[i] = false;
	note("unmap: UNMAP_DMA (%s) returned in %" PRIu64 " ms, %llu bytes",
	     why, now_ms() - t0, (unsigned long long)um.size);
	if (um.size != want)
		fail("UNMAP_DMA unmapped %llu bytes, want %llu",
		     (unsigned long long)um.size, (unsigned long long)want);
	return 0;
}

static int dma_unmap_all(struct swc *s, const char *why)
{
	return dma_unmap_chunks(s, 0, NCHUNKS, why);
}

static void dev_close(struct swc *s)
{
	uint64_t t0 = now_ms();

	if (s->fd < 0)
		return;
	wd_arm("close(device fd)", 30);
	close(s->fd);
	wd_disarm();
	s->fd = -1;
	note("close: device fd closed in %" PRIu64 " ms", now_ms() - t0);
}

/* Close everything, in the order QEMU does: device, mappings, group. */
static void swc_close(struct swc *s)
{
	int i;

	dev_close(s);
	dma_unmap_all(s, "teardown");
	for (i = 0; i < CDNA_VF_NUM_MSIX; i++)
		if (s->efd[i] >= 0)
			close(s->efd[i]);
	if (s->group >= 0)
		close(s->group);
	if (s->container >= 0)
		close(s->container);
	if (s->mem)
		munmap(s->mem, MEM_SIZE);
	s->mem = NULL;
}

static int irqs_set(struct swc *s, bool on)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int) * CDNA_VF_NUM_MSIX];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int i;

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->index = VFIO_PCI_MSIX_IRQ_INDEX;
	set->start = 0;
	if (on) {
		set->flags = VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = CDNA_VF_NUM_MSIX;
		for (i = 0; i < CDNA_VF_NUM_MSIX; i++) {
			if (s->efd[i] < 0)
				s->efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			if (s->efd[i] < 0) {
				fail("eventfd: %s", strerror(errno));
				return -1;
			}
			memcpy(set->data + i * sizeof(int), &s->efd[i],
			       sizeof(int));
		}
	} else {
		set->argsz = sizeof(*set);
		set->flags = VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 0;
	}
	if (ioctl(s->fd, VFIO_DEVICE_SET_IRQS, set)) {
		fail("VFIO_DEVICE_SET_IRQS(MSI-X, %s): %s",
		     on ? "3 eventfds" : "off", strerror(errno));
		return -1;
	}
	s->irqs_armed = on;
	return 0;
}

/* What a guest does before driving the function: memory and bus master. */
static void dev_enable(struct swc *s)
{
	uint16_t cmd;

	if (cfg_read(s, &cmd, 2, PCI_COMMAND)) {
		fail("config read of COMMAND: %s", strerror(errno));
		return;
	}
	cmd = htole16(le16toh(cmd) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (cfg_write(s, &cmd, 2, PCI_COMMAND))
		fail("config write of COMMAND: %s", strerror(errno));
}

/* Drain the eventfds that fired within @ms; count each vector's. */
static unsigned int irq_wait(struct swc *s, int ms)
{
	struct pollfd pfd[CDNA_VF_NUM_MSIX];
	unsigned int i, fired = 0;
	uint64_t cnt;

	for (i = 0; i < CDNA_VF_NUM_MSIX; i++) {
		pfd[i].fd = s->efd[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	if (poll(pfd, CDNA_VF_NUM_MSIX, ms) <= 0)
		return 0;
	for (i = 0; i < CDNA_VF_NUM_MSIX; i++) {
		if (!(pfd[i].revents & POLLIN))
			continue;
		if (read(s->efd[i], &cnt, sizeof(cnt)) == sizeof(cnt)) {
			s->st.irq[i] += cnt;
			fired |= BIT(i);
		}
	}
	return fired;
}

/* ------------------------------------------------------------------ */
/* The guest driver part: mailbox, as cdna_vf's vf_mbx.c does it.      */

static uint32_t v2p_read(struct swc *s)
{
	uint32_t v = rd32(s, CDNA_VF_V2PMAILBOX);

	s->v2p |= v & CDNA_V2P_R2C_BITS;
	return v | s->v2p;
}

static bool v2p_take(struct swc *s, uint32_t mask)
{
	bool hit = v2p_read(s) & mask;

	s->v2p &= ~mask;
	return hit;
}

static int mbx_own(struct swc *s)
{
	uint64_t deadline = now_ms() + MBX_LOCK_MS;

	do {
		wr32(s, CDNA_VF_V2PMAILBOX, CDNA_V2P_VFU);
		if (v2p_read(s) & CDNA_V2P_VFU)
			return 0;
		sleep_ms(1);
	} while (now_ms() < deadline);
	return -EBUSY;
}

static int mbx_write(struct swc *s, const uint32_t *msg, unsigned int n)
{
	unsigned int i;

	if (mbx_own(s))
		return -EBUSY;
	s->v2p &= ~(CDNA_V2P_PFACK | CDNA_V2P_PFSTS);
	for (i = 0; i < n; i++)
		wr32(s, CDNA_VF_VMBMEM(i), msg[i]);
	wr32(s, CDNA_VF_V2PMAILBOX, CDNA_V2P_REQ);
	return 0;
}

static int mbx_read(struct swc *s, uint32_t *msg, unsigned int n)
{
	unsigned int i;

	if (mbx_own(s))
		return -EBUSY;
	for (i = 0; i < n; i++)
		msg[i] = rd32(s, CDNA_VF_VMBMEM(i));
	wr32(s, CDNA_VF_V2PMAILBOX, CDNA_V2P_ACK);
	return 0;
}

static int mbx_wait(struct swc *s, uint32_t bit, unsigned int ms)
{
	uint64_t deadline = now_ms() + ms;

	for (;;) {
		uint32_t v = v2p_read(s);

		if (v & bit) {
			s->v2p &= ~bit;
			return 0;
		}
		if (v & CDNA_V2P_RSTI)
			return -ECONNRESET;
		if (now_ms() > deadline)
			break;
		sleep_ms(1);
	}
	return v2p_take(s, bit) ? 0 : -ETIMEDOUT;
}

static void mbx_drain(struct swc *s)
{
	uint32_t w0;

	if (v2p_take(s, CDNA_V2P_PFSTS) && !mbx_read(s, &w0, 1))
		note("mbx: PF message 0x%08x (%s)", w0,
		     cdna_mbx_type_name(FIELD_GET(CDNA_MSG_TYPE, w0)));
}

static int mbx_transact(struct swc *s, const uint32_t *msg, unsigned int n,
			uint32_t *reply, unsigned int nreply)
{
	uint16_t type = FIELD_GET(CDNA_MSG_TYPE, msg[0]);
	unsigned int stray;
	int err;

	mbx_drain(s);
	err = mbx_write(s, msg, n);
	if (err)
		return err;
	err = mbx_wait(s, CDNA_V2P_PFACK, MBX_ACK_MS);
	if (err)
		return err;
	for (stray = 0; stray < MBX_STRAY_MAX; stray++) {
		err = mbx_wait(s, CDNA_V2P_PFSTS, MBX_REPLY_MS);
		if (err)
			return err;
		err = mbx_read(s, reply, nreply);
		if (err)
			return err;
		if (FIELD_GET(CDNA_MSG_TYPE, reply[0]) == type &&
		    reply[0] & (CDNA_MSG_ACK | CDNA_MSG_NACK))
			return 0;
		note("mbx: stray PF message 0x%08x while waiting", reply[0]);
	}
	return -EPROTO;
}

/*
 * CTRL.RST, then the RESET handshake (cdna_vf_mbx_reset_hw()).  Tried up
 * to three times, as cdna_vf's watchdog would.  Return: 0 with the MAC
 * in s->mac, or -errno.
 */
static int reset_hw(struct swc *s)
{
	uint32_t msg[CDNA_MBX_WORDS] = { CDNA_MSG_RESET };
	uint32_t reply[CDNA_RESET_REPLY_WORDS];
	uint64_t deadline;
	int err = -EAGAIN, try;

	for (try = 1; try <= 3; try++) {
		memset(s->mac, 0, 6);
		if (try > 1)
			sleep_ms(500);
		if (v2p_read(s) & CDNA_V2P_RSTI) {
			err = -EAGAIN;
			note("reset: try %d: PF in reset (RSTI)", try);
			continue;
		}
		wr32(s, CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
		s->v2p = 0;
		deadline = now_ms() + MBX_RST_SETTLE_MS;
		err = 0;
		while (rd32(s, CDNA_VF_V2PMAILBOX) & CDNA_V2P_RSTI) {
			if (now_ms() > deadline) {
				err = -EAGAIN;
				break;
			}
			sleep_ms(20);
		}
		if (err) {
			note("reset: try %d: RSTI stays set after CTRL.RST", try);
			continue;
		}
		s->v2p = 0;
		err = mbx_transact(s, msg, 1, reply, ARRAY_SIZE(reply));
		if (err) {
			note("reset: try %d: RESET transaction: %s", try,
			     strerror(-err));
			continue;
		}
		if ((reply[0] & ~CDNA_MSG_CTS) == (CDNA_MSG_RESET | CDNA_MSG_ACK)) {
			cdna_mbx_get_mac(&reply[1], s->mac);
			if (!cdna_mbx_mac_valid(s->mac)) {
				note("reset: PF acked with no valid MAC (%s)",
				     mac_str(s->mac));
				memset(s->mac, 0, 6);
			}
			return 0;
		}
		if ((reply[0] & ~CDNA_MSG_CTS) == (CDNA_MSG_RESET | CDNA_MSG_NACK)) {
			note("reset: PF answered NACK (no MAC)");
			return 0;
		}
		note("reset: try %d: malformed reply 0x%08x", try, reply[0]);
		err = -EPROTO;
	}
	return err;
}

/* ------------------------------------------------------------------ */
/* Rings and buffers.                                                  */

static uint32_t rx_buf_off(const struct swc *s, uint32_t i)
{
	/* Straddling: [3 KiB, 5 KiB) of the buffer's own two pages. */
	return s->straddle ? MEM_RX_BUF + i * PAGE + 3 * 1024
			   : MEM_RX_BUF + i * RX_BUF_LEN;
}

static uint32_t tx_buf_off(const struct swc *s, uint32_t slot, uint32_t len)
{
	uint32_t base = MEM_TX_BUF + slot * TX_SLOT;

	/* Straddling: the frame's middle on the page boundary. */
	return s->straddle ? base + PAGE - ((len / 2) & ~1u) : base;
}

static uint64_t pagemap_pfn(int fd, const void *va)
{
	uint64_t e;
	off_t off = (uintptr_t)va / PAGE * sizeof(e);

	if (pread(fd, &e, sizeof(e), off) != sizeof(e) || !(e >> 63))
		return 0;
	return e & ((1ull << 55) - 1);
}

/* How many straddling RX buffers sit on host-contiguous pages. */
static void straddle_report(struct swc *s)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	unsigned int i, contig = 0, known = 0;
	uint64_t a, b;

	if (fd < 0)
		return;
	for (i = 0; i < RING_COUNT; i++) {
		uint8_t *p = s->mem + rx_buf_off(s, i);

		a = pagemap_pfn(fd, p);
		b = pagemap_pfn(fd, p + RX_BUF_LEN - 1);
		if (!a || !b)
			continue;
		known++;
		contig += b == a + 1;
	}
	close(fd);
	note("straddle: %u RX buffers cross a page boundary; pfns known for %u, host-contiguous %u",
	     RING_COUNT, known, contig);
}

static void rx_post_slot(struct swc *s, uint32_t i)
{
	cdna_rx_desc_post(&s->rxr[i], s->iova + rx_buf_off(s, i));
}

static void rings_configure(struct swc *s, bool post_rx)
{
	uint64_t rx = s->iova + MEM_RX_RING, tx = s->iova + MEM_TX_RING;
	uint32_t i;

	memset(s->mem + MEM_RX_RING, 0, PAGE);
	memset(s->mem + MEM_TX_RING, 0, PAGE);
	s->rx_clean = s->rx_tail = 0;
	s->tx_clean = s->tx_tail = 0;

	wr32(s, CDNA_VF_TXDCTL(0), 0);
	wr32(s, CDNA_VF_TDBAL(0), (uint32_t)tx);
	wr32(s, CDNA_VF_TDBAH(0), (uint32_t)(tx >> 32));
	wr32(s, CDNA_VF_TDLEN(0), RING_COUNT * CDNA_DESC_SIZE);
	wr32(s, CDNA_VF_TDH(0), 0);
	wr32(s, CDNA_VF_TDT(0), 0);
	wr32(s, CDNA_VF_TXDCTL(0), FIELD_PREP(CDNA_VF_TXDCTL_PTHRESH, 8) |
				   FIELD_PREP(CDNA_VF_TXDCTL_HTHRESH, 1) |
				   FIELD_PREP(CDNA_VF_TXDCTL_WTHRESH, 1) |
				   CDNA_VF_TXDCTL_ENABLE);

	wr32(s, CDNA_VF_RXDCTL(0), 0);
	wr32(s, CDNA_VF_RDBAL(0), (uint32_t)rx);
	wr32(s, CDNA_VF_RDBAH(0), (uint32_t)(rx >> 32));
	wr32(s, CDNA_VF_RDLEN(0), RING_COUNT * CDNA_DESC_SIZE);
	wr32(s, CDNA_VF_RDH(0), 0);
	wr32(s, CDNA_VF_RDT(0), 0);
	wr32(s, CDNA_VF_SRRCTL(0),
	     FIELD_PREP(CDNA_VF_SRRCTL_BSIZEPKT, RX_BUF_LEN / 1024) |
	     FIELD_PREP(CDNA_VF_SRRCTL_DESCTYPE, CDNA_VF_SRRCTL_DESCTYPE_ONEBUF) |
	     CDNA_VF_SRRCTL_DROP_EN);
	wr32(s, CDNA_VF_RXDCTL(0), FIELD_PREP(CDNA_VF_RXDCTL_PTHRESH, 16) |
				   FIELD_PREP(CDNA_VF_RXDCTL_HTHRESH, 8) |
				   FIELD_PREP(CDNA_VF_RXDCTL_WTHRESH, 1) |
				   CDNA_VF_RXDCTL_ENABLE);

	if (!post_rx)
		return;
	/* Every slot but one posted; slot i always holds buffer i. */
	for (i = 0; i < RING_COUNT; i++)
		rx_post_slot(s, i);
	s->rx_tail = RING_COUNT - 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, CDNA_VF_RDT(0), s->rx_tail);
}

static void rings_stop(struct swc *s)
{
	wr32(s, CDNA_VF_RXDCTL(0), 0);
	wr32(s, CDNA_VF_TXDCTL(0), 0);
	rd32(s, CDNA_VF_STATUS);
	sleep_ms(10);
}

static void irq_route(struct swc *s)
{
	uint32_t rx = CDNA_VF_IVAR_VALID | FIELD_PREP(CDNA_VF_IVAR_VECTOR, VEC_RX);
	uint32_t tx = CDNA_VF_IVAR_VALID | FIELD_PREP(CDNA_VF_IVAR_VECTOR, VEC_TX);
	uint32_t mbx = CDNA_VF_IVAR_VALID | FIELD_PREP(CDNA_VF_IVAR_VECTOR, VEC_MBX);

	wr32(s, CDNA_VF_IVAR0, FIELD_PREP(CDNA_VF_IVAR_RX0, rx) |
			       FIELD_PREP(CDNA_VF_IVAR_TX0, tx));
	wr32(s, CDNA_VF_IVAR_MISC, FIELD_PREP(CDNA_VF_IVAR_MISC_MBX, mbx));
	wr32(s, CDNA_VF_EITR(VEC_TX), 0);
	wr32(s, CDNA_VF_EITR(VEC_RX), 0);
	wr32(s, CDNA_VF_EIAC, VEC_ALL);
	wr32(s, CDNA_VF_EIMS, VEC_ALL);
}

static uint32_t le32_read(const volatile __le32 *p)
{
	return le32toh(*p);
}

static unsigned int tx_reclaim(struct swc *s)
{
	unsigned int n = 0;

	while (s->tx_clean != s->tx_tail) {
		union cdna_tx_desc *d = &s->txr[s->tx_clean];

		if (!(le32_read(&d->wb.status) & CDNA_TXD_STAT_DD))
			break;
		s->tx_clean = (s->tx_clean + 1) % RING_COUNT;
		s->st.tx_done++;
		n++;
	}
	return n;
}

static uint32_t tx_free(const struct swc *s)
{
	return RING_COUNT - 1 -
	       (s->tx_tail + RING_COUNT - s->tx_clean) % RING_COUNT;
}

static void tx_kick(struct swc *s)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, CDNA_VF_TDT(0), s->tx_tail);
}

/*
 * Put one frame on the TX ring (one data descriptor, EOP|RS); kick the
 * tail unless @batch.  Waits (bounded, 2 s) for a free slot.
 */
static int tx_frame(struct swc *s, const uint8_t *frame, uint32_t len,
		    bool batch)
{
	struct cdna_tx_params p = { 0 };
	struct cdna_tx_offload off;
	uint64_t deadline;
	uint32_t slot, boff;

	if (len < MIN_FRAME)
		len = MIN_FRAME;	/* the caller's buffer is zero-padded */
	tx_reclaim(s);
	if (!tx_free(s)) {
		s->st.tx_busy++;
		deadline = now_ms() + 2000;
		while (!tx_free(s)) {
			if (now_ms() > deadline) {
				fail("TX ring full for 2 s: TDH=%u TDT=%u clean=%u",
				     rd32(s, CDNA_VF_TDH(0)), s->tx_tail,
				     s->tx_clean);
				return -EBUSY;
			}
			irq_wait(s, 10);
			tx_reclaim(s);
		}
	}
	slot = s->tx_tail;
	boff = tx_buf_off(s, slot, len);
	memcpy(s->mem + boff, frame, len);
	p.len = len;
	if (cdna_tx_offload_build(&p, &off) < 0) {
		fail("cdna_tx_offload_build(len %u)", len);
		return -EINVAL;
	}
	cdna_tx_data_write(&s->txr[slot], s->iova + boff, len, &off);
	cdna_tx_data_end(&s->txr[slot]);
	s->tx_len[slot] = len;
	s->tx_tail = (slot + 1) % RING_COUNT;
	s->st.tx++;
	if (!batch)
		tx_kick(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Frames.                                                             */

static void ip_fill(struct iphdr *ip, uint32_t saddr, uint32_t daddr,
		    uint8_t proto, uint16_t tot_len, uint16_t id)
{
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(tot_len);
	ip->id = htons(id);
	ip->frag_off = htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = proto;
	ip->saddr = saddr;
	ip->daddr = daddr;
	ip->check = htons(csum_fold(csum_add(0, ip, sizeof(*ip))));
}

/* A UDP frame with the pattern; returns its length. */
static uint32_t udp_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			  uint32_t saddr, uint32_t daddr, uint32_t payload,
			  uint32_t seq)
{
	struct ether_header *eth = (struct ether_header *)f;
	struct iphdr *ip = (struct iphdr *)(f + ETH_HLEN);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	uint16_t ulen = sizeof(*udp) + payload;
	uint16_t c;

	memcpy(eth->ether_dhost, dmac, 6);
	memcpy(eth->ether_shost, smac, 6);
	eth->ether_type = htons(ETHERTYPE_IP);
	ip_fill(ip, saddr, daddr, IPPROTO_UDP, sizeof(*ip) + ulen, seq);
	udp->source = htons(UDP_SRC_PORT);
	udp->dest = htons(UDP_PORT);
	udp->len = htons(ulen);
	udp->check = 0;
	pat_fill((uint8_t *)(udp + 1), payload, seq);
	c = csum_fold(csum_add(udp_pseudo(ip, ulen), udp, ulen));
	udp->check = htons(c ? c : 0xffff);
	return ETH_HLEN + sizeof(*ip) + ulen;
}

static void handle_arp(struct swc *s, const uint8_t *f, uint32_t len)
{
	const struct ether_arp *req = (const void *)(f + ETH_HLEN);
	uint8_t out[MIN_FRAME] = { 0 };
	struct ether_header *eth = (struct ether_header *)out;
	struct ether_arp *rep = (struct ether_arp *)(out + ETH_HLEN);

	if (len < ETH_HLEN + sizeof(*req) || !s->ip ||
	    ntohs(req->arp_op) != ARPOP_REQUEST ||
	    memcmp(req->arp_tpa, &s->ip, 4)) {
		s->st.other++;
		return;
	}
	s->st.arp++;
	memcpy(eth->ether_dhost, req->arp_sha, 6);
	memcpy(eth->ether_shost, s->mac, 6);
	eth->ether_type = htons(ETHERTYPE_ARP);
	rep->arp_hrd = htons(ARPHRD_ETHER);
	rep->arp_pro = htons(ETHERTYPE_IP);
	rep->arp_hln = 6;
	rep->arp_pln = 4;
	rep->arp_op = htons(ARPOP_REPLY);
	memcpy(rep->arp_sha, s->mac, 6);
	memcpy(rep->arp_spa, &s->ip, 4);
	memcpy(rep->arp_tha, req->arp_sha, 6);
	memcpy(rep->arp_tpa, req->arp_spa, 4);
	tx_frame(s, out, sizeof(out), false);
}

static void handle_ip(struct swc *s, const uint8_t *f, uint32_t len)
{
	const struct iphdr *ip = (const void *)(f + ETH_HLEN);
	uint32_t ihl, tot, l4len, seq, bad;
	const uint8_t *l4;

	if (len < ETH_HLEN + sizeof(*ip) || ip->version != 4 || ip->ihl < 5) {
		s->st.other++;
		return;
	}
	ihl = ip->ihl * 4u;
	tot = ntohs(ip->tot_len);
	if (tot < ihl || ETH_HLEN + tot > len) {
		s->st.bad++;
		note("rx: IPv4 total length %u in a frame of %u bytes", tot, len);
		return;
	}
	if (csum_fold(csum_add(0, ip, ihl))) {
		s->st.bad++;
		note("rx: IPv4 header checksum wrong (frame %u bytes)", len);
		return;
	}
	if (ip->daddr != s->ip && ip->daddr != htonl(INADDR_BROADCAST) &&
	    (ntohl(ip->daddr) & 0xff) != 0xff) {
		s->st.other++;
		return;
	}
	if (ntohs(ip->frag_off) & (IP_MF | IP_OFFMASK)) {
		s->st.other++;
		return;
	}
	l4 = (const uint8_t *)ip + ihl;
	l4len = tot - ihl;

	if (ip->protocol == IPPROTO_ICMP && l4len >= 8 && ip->daddr == s->ip) {
		uint8_t out[MAX_FRAME + 2] = { 0 };
		struct ether_header *eth = (struct ether_header *)out;
		struct iphdr *rip = (struct iphdr *)(out + ETH_HLEN);
		struct icmphdr *ic;

		if (l4[0] != ICMP_ECHO) {
			s->st.other++;
			return;
		}
		if (csum_fold(csum_add(0, l4, l4len))) {
			s->st.icmp_bad++;
			note("rx: ICMP echo of %u bytes with a wrong checksum", l4len);
			return;
		}
		if (ETH_HLEN + sizeof(*rip) + l4len > MAX_FRAME) {
			s->st.other++;
			return;
		}
		s->st.icmp++;
		memcpy(eth->ether_dhost, f + 6, 6);
		memcpy(eth->ether_shost, s->mac, 6);
		eth->ether_type = htons(ETHERTYPE_IP);
		ip_fill(rip, s->ip, ip->saddr, IPPROTO_ICMP,
			sizeof(*rip) + l4len, ntohs(ip->id));
		ic = (struct icmphdr *)(rip + 1);
		memcpy(ic, l4, l4len);
		ic->type = ICMP_ECHOREPLY;
		ic->checksum = 0;
		ic->checksum = htons(csum_fold(csum_add(0, ic, l4len)));
		tx_frame(s, out, ETH_HLEN + sizeof(*rip) + l4len, false);
		return;
	}
	if (ip->protocol == IPPROTO_UDP && l4len >= sizeof(struct udphdr)) {
		const struct udphdr *udp = (const void *)l4;
		uint16_t ulen = ntohs(udp->len);

		if (ntohs(udp->dest) != UDP_PORT) {
			s->st.other++;
			return;
		}
		if (ulen < sizeof(*udp) || ulen > l4len) {
			s->st.udp_bad++;
			note("rx: UDP length %u of %u", ulen, l4len);
			return;
		}
		if (udp->check &&
		    csum_fold(csum_add(udp_pseudo(ip, ulen), udp, ulen))) {
			s->st.udp_bad++;
			note("rx: UDP checksum wrong (%u bytes)", ulen);
			return;
		}
		bad = pat_check((const uint8_t *)(udp + 1), ulen - sizeof(*udp),
				&seq);
		if (bad) {
			s->st.udp_bad++;
			if (s->st.udp_bad <= 10)
				note("rx: UDP seq %u: payload differs at byte %u of %u",
				     seq, bad - 1, ulen - (uint32_t)sizeof(*udp));
			return;
		}
		s->st.udp_ok++;
		if (seq > s->st.udp_max_seq)
			s->st.udp_max_seq = seq;
		return;
	}
	s->st.other++;
}

static void handle_frame(struct swc *s, const uint8_t *f, uint32_t len)
{
	uint16_t type;

	if (len < ETH_HLEN) {
		s->st.bad++;
		return;
	}
	type = ntohs(((const struct ether_header *)f)->ether_type);
	if (type == ETHERTYPE_ARP)
		handle_arp(s, f, len);
	else if (type == ETHERTYPE_IP)
		handle_ip(s, f, len);
	else
		s->st.other++;
}

/* Clean the done RX descriptors, handle their frames, give them back. */
static unsigned int rx_clean(struct swc *s, bool handle)
{
	unsigned int n = 0;

	while (s->rx_clean != s->rx_tail) {
		union cdna_rx_desc *d = &s->rxr[s->rx_clean];
		uint32_t st = le32_read(&d->wb.status_error);
		uint32_t len;

		if (!(st & CDNA_RXD_STAT_DD))
			break;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		len = le16toh(*(volatile __le16 *)&d->wb.length);
		s->st.rx++;
		if (len == 0 && (st & CDNA_RXD_ERR_RXE)) {
			s->st.rx_refused++;
			if (s->st.rx_refused <= 5)
				note("rx: slot %u refused by the guard (status 0x%08x)",
				     s->rx_clean, st);
		} else if (!(st & CDNA_RXD_STAT_EOP)) {
			s->st.rx_frag++;
			s->st.bad++;
		} else if (st & CDNA_RXD_ERR_FRAME || len > RX_BUF_LEN) {
			s->st.bad++;
			note("rx: slot %u status 0x%08x length %u", s->rx_clean,
			     st, len);
		} else if (handle) {
			handle_frame(s, s->mem + rx_buf_off(s, s->rx_clean), len);
		}
		s->rx_clean = (s->rx_clean + 1) % RING_COUNT;
		/* The slot at the tail (cleaned before) goes back. */
		rx_post_slot(s, s->rx_tail);
		s->rx_tail = (s->rx_tail + 1) % RING_COUNT;
		n++;
	}
	if (n) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr32(s, CDNA_VF_RDT(0), s->rx_tail);
	}
	return n;
}

static void stats_line(struct swc *s, const char *tag)
{
	note("%s: rx=%" PRIu64 " tx=%" PRIu64 " tx_done=%" PRIu64
	     " bad=%" PRIu64 " arp=%" PRIu64 " icmp=%" PRIu64
	     " icmp_bad=%" PRIu64 " udp_ok=%" PRIu64 " udp_bad=%" PRIu64
	     " udp_max_seq=%u other=%" PRIu64 " rx_refused=%" PRIu64
	     " tx_busy=%" PRIu64 " irq_tx=%" PRIu64 " irq_rx=%" PRIu64
	     " irq_mbx=%" PRIu64,
	     tag, s->st.rx, s->st.tx, s->st.tx_done, s->st.bad, s->st.arp,
	     s->st.icmp, s->st.icmp_bad, s->st.udp_ok, s->st.udp_bad,
	     s->st.udp_max_seq, s->st.other, s->st.rx_refused, s->st.tx_busy,
	     s->st.irq[VEC_TX], s->st.irq[VEC_RX], s->st.irq[VEC_MBX]);
}

/* ------------------------------------------------------------------ */
/* Subcommands.                                                        */

struct opts {
	uint32_t ip, dst_ip;
	uint8_t dst_mac[6];
	bool have_dst_mac;
	unsigned int seconds, count, size, rate, port;
	bool straddle, count_frames, partial, head_wb;
	uint64_t iova;
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static int cmd_info(const char *uuid, const struct opts *o)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_irq_info ii;
	struct vfio_region_info ri;
	uint8_t cfg[256];
	unsigned int i, pos, guard;
	bool msix = false;
	struct swc s;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	if (ioctl(s.fd, VFIO_DEVICE_GET_INFO, &di)) {
		fail("VFIO_DEVICE_GET_INFO: %s", strerror(errno));
		goto out;
	}
	note("info: flags 0x%x num_regions %u num_irqs %u", di.flags,
	     di.num_regions, di.num_irqs);
	if (!(di.flags & VFIO_DEVICE_FLAGS_PCI))
		fail("GET_INFO flags 0x%x lack VFIO_DEVICE_FLAGS_PCI", di.flags);
	if (!(di.flags & VFIO_DEVICE_FLAGS_RESET))
		fail("GET_INFO flags 0x%x lack VFIO_DEVICE_FLAGS_RESET", di.flags);
	if (di.num_regions != VFIO_PCI_NUM_REGIONS)
		fail("num_regions %u, want %u", di.num_regions,
		     VFIO_PCI_NUM_REGIONS);
	if (di.num_irqs != VFIO_PCI_NUM_IRQS)
		fail("num_irqs %u, want %u", di.num_irqs, VFIO_PCI_NUM_IRQS);

	for (i = 0; i < di.num_regions && i < VFIO_PCI_NUM_REGIONS; i++) {
		if (region_info(&s, i, &ri)) {
			fail("GET_REGION_INFO(%u): %s", i, strerror(errno));
			continue;
		}
		note("info: region %u size 0x%llx offset 0x%llx flags 0x%x", i,
		     (unsigned long long)ri.size,
		     (unsigned long long)ri.offset, ri.flags);
		if (i == VFIO_PCI_BAR0_REGION_INDEX || i == VFIO_PCI_BAR3_REGION_INDEX) {
			if (ri.size != 16384)
				fail("BAR%u size 0x%llx, want 16 KiB", i,
				     (unsigned long long)ri.size);
			if ((ri.flags & (VFIO_REGION_INFO_FLAG_READ |
					 VFIO_REGION_INFO_FLAG_WRITE)) !=
			    (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE))
				fail("BAR%u flags 0x%x: not read/write", i, ri.flags);
		} else if (i == VFIO_PCI_CONFIG_REGION_INDEX) {
			if (ri.size != 256)
				fail("config region size 0x%llx, want 256",
				     (unsigned long long)ri.size);
		} else if (i == VFIO_PCI_BAR1_REGION_INDEX && ri.size) {
			fail("BAR1 size 0x%llx: a 64-bit BAR0 takes BAR1",
			     (unsigned long long)ri.size);
		}
	}

	if (cfg_read(&s, cfg, sizeof(cfg), 0)) {
		fail("pread of the config region: %s", strerror(errno));
		goto out;
	}
	note("info: config %02x%02x:%02x%02x status 0x%02x%02x cap 0x%02x",
	     cfg[1], cfg[0], cfg[3], cfg[2], cfg[7], cfg[6],
	     cfg[PCI_CAPABILITY_LIST]);
	if ((cfg[0] | cfg[1] << 8) != 0x8086 || (cfg[2] | cfg[3] << 8) != 0x10ca)
		fail("config vendor:device %02x%02x:%02x%02x, want 8086:10ca",
		     cfg[1], cfg[0], cfg[3], cfg[2]);
	if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		fail("config STATUS has no capability list");
	for (pos = cfg[PCI_CAPABILITY_LIST] & ~3u, guard = 0;
	     pos >= 0x40 && pos < 0xfc && guard < 48;
	     pos = cfg[pos + 1] & ~3u, guard++) {
		uint16_t ctl;
		uint32_t tbl, pba;

		note("info: capability 0x%02x at 0x%02x", cfg[pos], pos);
		if (cfg[pos] != PCI_CAP_ID_MSIX || pos > 0xf4)
			continue;
		msix = true;
		ctl = cfg[pos + PCI_MSIX_FLAGS] | cfg[pos + PCI_MSIX_FLAGS + 1] << 8;
		memcpy(&tbl, cfg + pos + PCI_MSIX_TABLE, 4);
		memcpy(&pba, cfg + pos + PCI_MSIX_PBA, 4);
		tbl = le32toh(tbl);
		pba = le32toh(pba);
		note("info: MSI-X %u vectors, table BAR%u+0x%x, PBA BAR%u+0x%x",
		     (ctl & PCI_MSIX_FLAGS_QSIZE) + 1, tbl & PCI_MSIX_TABLE_BIR,
		     tbl & PCI_MSIX_TABLE_OFFSET, pba & PCI_MSIX_PBA_BIR,
		     pba & PCI_MSIX_PBA_OFFSET);
		if ((ctl & PCI_MSIX_FLAGS_QSIZE) + 1 != CDNA_VF_NUM_MSIX)
			fail("MSI-X capability has %u vectors, want %u",
			     (ctl & PCI_MSIX_FLAGS_QSIZE) + 1, CDNA_VF_NUM_MSIX);
		if ((tbl & PCI_MSIX_TABLE_BIR) != CDNA_VF_BAR_MSIX ||
		    (pba & PCI_MSIX_PBA_BIR) != CDNA_VF_BAR_MSIX)
			fail("MSI-X table/PBA not in BAR%u", CDNA_VF_BAR_MSIX);
	}
	if (!msix)
		fail("no MSI-X capability in the config space");

	for (i = 0; i < di.num_irqs && i < VFIO_PCI_NUM_IRQS; i++) {
		memset(&ii, 0, sizeof(ii));
		ii.argsz = sizeof(ii);
		ii.index = i;
		if (ioctl(s.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii)) {
			fail("GET_IRQ_INFO(%u): %s", i, strerror(errno));
			continue;
		}
		note("info: irq index %u count %u flags 0x%x", i, ii.count,
		     ii.flags);
		if (i == VFIO_PCI_MSIX_IRQ_INDEX) {
			if (ii.count != CDNA_VF_NUM_MSIX)
				fail("MSI-X irq count %u, want %u", ii.count,
				     CDNA_VF_NUM_MSIX);
			if (!(ii.flags & VFIO_IRQ_INFO_EVENTFD))
				fail("MSI-X irq flags 0x%x lack EVENTFD", ii.flags);
		}
	}
	note("info: BAR0 STATUS 0x%08x", rd32(&s, CDNA_VF_STATUS));
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

/* Both queues enabled, the RX ring posted full: pages pinned. */
static void rings_live(struct swc *s, const char *uuid)
{
	long long pinned;

	rings_configure(s, true);
	pinned = ledger_read(uuid, CDNA_LEDGER_PINNED_PAGES);
	note("reset: rings live, pinned_pages=%lld", pinned);
	if (pinned == 0)
		fail("nothing pinned with the RX ring posted");
}

/* After a reset: queues off, ring registers cleared, nothing pinned. */
static void rings_after_reset(struct swc *s, const char *uuid, const char *how)
{
	uint32_t rxdctl = rd32(s, CDNA_VF_RXDCTL(0));
	uint32_t txdctl = rd32(s, CDNA_VF_TXDCTL(0));
	uint32_t rdbal = rd32(s, CDNA_VF_RDBAL(0)), rdlen = rd32(s, CDNA_VF_RDLEN(0));
	long long pinned = ledger_read(uuid, CDNA_LEDGER_PINNED_PAGES);

	note("reset: after %s RXDCTL=0x%08x TXDCTL=0x%08x RDBAL=0x%08x RDLEN=%u pinned_pages=%lld",
	     how, rxdctl, txdctl, rdbal, rdlen, pinned);
	if ((rxdctl & CDNA_VF_RXDCTL_ENABLE) || (txdctl & CDNA_VF_TXDCTL_ENABLE))
		fail("queues still enabled after %s", how);
	if (pinned > 0)
		fail("pinned_pages=%lld right after %s", pinned, how);
}

static int cmd_reset(const char *uuid, const struct opts *o)
{
	uint8_t first[6];
	struct swc s;
	int err, ret;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	dev_enable(&s);
	err = reset_hw(&s);
	if (err)
		fail("reset handshake after CTRL.RST: %s", strerror(-err));
	else if (!cdna_mbx_mac_valid(s.mac))
		fail("reset handshake after CTRL.RST gave no MAC");
	else
		note("reset: CTRL.RST handshake: mac=%s", mac_str(s.mac));
	memcpy(first, s.mac, 6);

	/* A reset with both queues running drops every pin at once. */
	rings_live(&s, uuid);
	wd_arm("VFIO_DEVICE_RESET", 30);
	ret = ioctl(s.fd, VFIO_DEVICE_RESET);
	wd_disarm();
	if (ret)
		fail("VFIO_DEVICE_RESET: %s", strerror(errno));
	else
		note("reset: VFIO_DEVICE_RESET ok");
	rings_after_reset(&s, uuid, "VFIO_DEVICE_RESET");

	err = reset_hw(&s);
	if (err)
		fail("reset handshake after VFIO_DEVICE_RESET: %s", strerror(-err));
	else if (!cdna_mbx_mac_valid(s.mac))
		fail("reset handshake after VFIO_DEVICE_RESET gave no MAC");
	else
		note("reset: after VFIO_DEVICE_RESET: mac=%s", mac_str(s.mac));
	if (!err && memcmp(first, s.mac, 6))
		fail("MAC changed across VFIO_DEVICE_RESET: %s then %s",
		     mac_str(first), mac_str(s.mac));

	/* And the guest's own CTRL.RST with the queues running. */
	rings_live(&s, uuid);
	err = reset_hw(&s);
	rings_after_reset(&s, uuid, "CTRL.RST");
	if (err || memcmp(first, s.mac, 6))
		fail("reset handshake after CTRL.RST with queues running: %s, mac %s",
		     err ? strerror(-err) : "ok", mac_str(s.mac));
	else
		note("reset: CTRL.RST with queues running: mac=%s", mac_str(s.mac));
	swc_close(&s);
	return nfail ? 1 : 0;
}

/*
 * Device, interrupts, handshake, link, rings: the guest driver's open;
 * the RX ring is posted full unless @post_rx is false.
 */
static int bring_up_rx(struct swc *s, const struct opts *o, bool post_rx)
{
	uint64_t deadline;
	uint32_t status;
	int err;

	s->straddle = o->straddle;
	s->ip = o->ip;
	dev_enable(s);
	if (irqs_set(s, true))
		return -1;
	err = reset_hw(s);
	if (err || !cdna_mbx_mac_valid(s->mac)) {
		fail("reset handshake: %s", err ? strerror(-err) : "no MAC");
		return -1;
	}
	deadline = now_ms() + 10000;
	while (!((status = rd32(s, CDNA_VF_STATUS)) & CDNA_VF_STATUS_LU) &&
	       now_ms() < deadline)
		sleep_ms(100);
	if (!(status & CDNA_VF_STATUS_LU))
		note("warning: no link (STATUS 0x%08x)", status);
	irq_route(s);
	rings_configure(s, post_rx);
	if (s->straddle)
		straddle_report(s);
	return 0;
}

static int bring_up(struct swc *s, const struct opts *o)
{
	return bring_up_rx(s, o, true);
}

static void bring_down(struct swc *s)
{
	rings_stop(s);
	wr32(s, CDNA_VF_EIMC, VEC_ALL);
	if (s->irqs_armed)
		irqs_set(s, false);
}

static int cmd_serve(const char *uuid, const struct opts *o)
{
	uint64_t end, next_tick, next_mbx;
	struct swc s;

	if (!o->ip) {
		fprintf(stderr, "serve: --ip is required\n");
		return 2;
	}
	if (swc_open(&s, uuid, o->iova))
		return 1;
	if (bring_up(&s, o))
		goto out;
	note("ready: mac=%s ip=%s straddle=%d pinned_pages=%lld",
	     mac_str(s.mac), inet_ntoa((struct in_addr){ s.ip }), s.straddle,
	     ledger_read(uuid, CDNA_LEDGER_PINNED_PAGES));
	end = now_ms() + o->seconds * 1000ull;
	next_tick = now_ms() + 1000;
	next_mbx = now_ms() + 2000;
	while (!stop && now_ms() < end) {
		if (irq_wait(&s, 50) & BIT(VEC_MBX))
			mbx_drain(&s);
		rx_clean(&s, true);
		tx_reclaim(&s);
		if (now_ms() >= next_tick) {
			next_tick += 1000;
			if (o->count_frames)
				stats_line(&s, "frames");
		}
		if (now_ms() >= next_mbx) {
			next_mbx += 2000;
			mbx_drain(&s);
		}
	}
	note("serve: stopping (%s)", stop ? "signal" : "time");
	bring_down(&s);
	stats_line(&s, "summary");
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

static int cmd_blast(const char *uuid, const struct opts *o)
{
	uint8_t frame[MAX_FRAME + 2];
	uint64_t t0, deadline, gap_us;
	struct timespec next;
	struct swc s;
	unsigned int i;
	uint32_t len;

	if (!o->have_dst_mac || !o->count || o->size < 4 || o->size > 1472) {
		fprintf(stderr, "blast: --dst MAC, --count N and --size 4..1472 are required\n");
		return 2;
	}
	if (swc_open(&s, uuid, o->iova))
		return 1;
	if (bring_up(&s, o))
		goto out;
	if (o->head_wb) {
		/* The NIC's head written into guest memory, as TDWBAL asks. */
		uint64_t wb = s.iova + MEM_HEAD_WB;

		*(volatile uint32_t *)(s.mem + MEM_HEAD_WB) = 0xffffffff;
		wr32(&s, CDNA_VF_TDWBAH(0), (uint32_t)(wb >> 32));
		wr32(&s, CDNA_VF_TDWBAL(0), (uint32_t)wb | CDNA_VF_TDWBAL_ENABLE);
	}
	note("ready: mac=%s sending %u datagrams of %u bytes to %s%s", mac_str(s.mac),
	     o->count, o->size, mac_str(o->dst_mac),
	     o->head_wb ? " (TX head write-back)" : "");
	gap_us = o->rate ? 1000000ull / o->rate : 0;
	clock_gettime(CLOCK_MONOTONIC, &next);
	t0 = now_ms();
	for (i = 0; i < o->count && !stop; i++) {
		memset(frame, 0, sizeof(frame));
		len = udp_frame(frame, o->dst_mac, s.mac, o->ip, o->dst_ip,
				o->size, i);
		if (tx_frame(&s, frame, len, false))
			break;
		rx_clean(&s, true);
		if (gap_us) {
			next.tv_nsec += gap_us * 1000;
			while (next.tv_nsec >= 1000000000) {
				next.tv_nsec -= 1000000000;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
	}
	deadline = now_ms() + 10000;
	while (s.tx_clean != s.tx_tail && now_ms() < deadline) {
		irq_wait(&s, 20);
		tx_reclaim(&s);
		rx_clean(&s, true);
	}
	note("blast: sent=%u reclaimed=%" PRIu64 " in %" PRIu64 " ms", i,
	     s.st.tx_done, now_ms() - t0);
	if (s.tx_clean != s.tx_tail)
		fail("%u TX descriptors not done after 10 s (TDH %u)",
		     (s.tx_tail + RING_COUNT - s.tx_clean) % RING_COUNT,
		     rd32(&s, CDNA_VF_TDH(0)));
	if (i < o->count)
		fail("sent %u of %u", i, o->count);
	if (o->head_wb) {
		uint32_t head = le32_read((volatile __le32 *)(s.mem + MEM_HEAD_WB));

		note("blast: TX head write-back reads %u, tail %u", head, s.tx_tail);
		if (head != s.tx_tail)
			fail("TX head write-back reads %u, want the tail %u", head,
			     s.tx_tail);
	}
	bring_down(&s);
	stats_line(&s, "summary");
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

/* Bytes of [off, off + len) that differ from @snap. */
static size_t mem_changed(const uint8_t *mem, const uint8_t *snap, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += mem[i] != snap[i];
	return n;
}

/*
 * Watch the rings and RX buffers for @ms after the guard should have let
 * go of them: nothing may write there any more.
 */
static void watch_quiet(struct swc *s, unsigned int ms, const char *after)
{
	size_t len = MEM_TX_BUF;	/* rings and RX buffers */
	uint8_t *snap = malloc(len);
	size_t n;

	if (!snap) {
		fail("malloc");
		return;
	}
	memcpy(snap, s->mem, len);
	sleep_ms(ms);
	n = mem_changed(s->mem, snap, len);
	if (n)
		fail("%zu bytes of the rings/RX buffers changed in the %u ms after %s",
		     n, ms, after);
	else
		note("quiet: rings and RX buffers untouched for %u ms after %s",
		     ms, after);
	free(snap);
}

/* The ledger's pinned_pages must reach 0 within @ms after @after. */
static void pinned_zero(const char *uuid, unsigned int ms, const char *after)
{
	uint64_t deadline = now_ms() + ms;
	long long v;

	while ((v = ledger_read(uuid, CDNA_LEDGER_PINNED_PAGES)) > 0 &&
	       now_ms() < deadline)
		sleep_ms(100);
	if (v > 0)
		fail("ledger pinned_pages=%lld %u ms after %s", v, ms, after);
	else
		note("ledger: pinned_pages=%lld after %s", v, after);
}

/* An IOVA the VM has not mapped: 1 MiB past the end of its memory. */
static uint64_t s_unused_iova(uint64_t iova)
{
	return iova + MEM_SIZE + 0x100000;
}

static const uint8_t nowhere_mac[6] = { 0x02, 0x00, 0x00, 0xcd, 0xff, 0x99 };

/*
 * Unmap only the TX buffers while both queues run: the RX queue, whose
 * ring and buffers stay mapped, must go on receiving; a TX buffer in the
 * unmapped memory must not be sent.
 */
static void unmap_partial(struct swc *s, const struct opts *o)
{
	uint8_t frame[MAX_FRAME + 2] = { 0 };
	uint64_t rx0, end;
	uint32_t txdctl, gptc0, gptc1, len;

	if (dma_unmap_chunks(s, CHUNK_TX_BUF, 1, "busy, TX buffers only"))
		return;
	note("ledger: pinned_pages=%lld after the TX buffers were unmapped",
	     ledger_read(s->uuid, CDNA_LEDGER_PINNED_PAGES));
	rx0 = s->st.rx;
	end = now_ms() + 3000;
	while (now_ms() < end) {
		irq_wait(s, 50);
		rx_clean(s, false);
	}
	note("partial: %" PRIu64 " frames received in the 3 s after; RXDCTL=0x%08x TXDCTL=0x%08x",
	     s->st.rx - rx0, rd32(s, CDNA_VF_RXDCTL(0)),
	     txdctl = rd32(s, CDNA_VF_TXDCTL(0)));
	if (s->st.rx == rx0)
		fail("RX stopped when only the TX buffers were unmapped (RXDCTL 0x%08x)",
		     rd32(s, CDNA_VF_RXDCTL(0)));
	if (!(txdctl & CDNA_VF_TXDCTL_ENABLE)) {
		note("partial: the TX queue was stopped by the unmap");
		return;
	}
	/* The queue runs: a frame from the unmapped buffers is refused. */
	tx_reclaim(s);
	gptc0 = rd32(s, CDNA_VF_GPTC);
	len = udp_frame(frame, nowhere_mac, s->mac, o->ip,
			htonl(INADDR_BROADCAST), 200, 0);
	tx_frame(s, frame, len, false);
	end = now_ms() + 3000;
	while (s->tx_clean != s->tx_tail && now_ms() < end) {
		irq_wait(s, 20);
		tx_reclaim(s);
	}
	sleep_ms(200);
	gptc1 = rd32(s, CDNA_VF_GPTC);
	note("partial: a frame in unmapped TX memory: %s, GPTC %u -> %u",
	     s->tx_clean == s->tx_tail ? "done" : "not done", gptc0, gptc1);
	if (gptc1 != gptc0)
		fail("a TX buffer in unmapped memory was sent (GPTC %u -> %u)",
		     gptc0, gptc1);
}

static int cmd_unmap_busy(const char *uuid, const struct opts *o)
{
	uint8_t frame[MAX_FRAME + 2];
	uint64_t end;
	struct swc s;
	uint32_t len, seq = 0, inflight, rdh, rdt, tdh, tdt;
	unsigned int i;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	if (bring_up(&s, o))
		goto out;
	note("ready: mac=%s", mac_str(s.mac));
	/* Traffic: frames out, whatever comes in received, for a while. */
	end = now_ms() + (o->seconds ? o->seconds : 2) * 1000ull;
	while (now_ms() < end && !stop) {
		for (i = 0; i < 8; i++) {
			memset(frame, 0, sizeof(frame));
			len = udp_frame(frame, nowhere_mac, s.mac, o->ip,
					htonl(INADDR_BROADCAST), 1000, seq++);
			tx_frame(&s, frame, len, i < 7);
		}
		/* Paced: some 400 frames a second, not a flood of the wire. */
		sleep_ms(20);
		irq_wait(&s, 0);
		rx_clean(&s, false);
		tx_reclaim(&s);
	}
	/* A last batch posted and not reclaimed: in flight at the unmap. */
	for (i = 0; i < 64 && tx_free(&s); i++) {
		memset(frame, 0, sizeof(frame));
		len = udp_frame(frame, nowhere_mac, s.mac, o->ip,
				htonl(INADDR_BROADCAST), 1400, seq++);
		tx_frame(&s, frame, len, true);
	}
	tx_kick(&s);
	inflight = (s.tx_tail + RING_COUNT - s.tx_clean) % RING_COUNT;
	note("unmap-busy: rx=%" PRIu64 " tx=%" PRIu64 "; unmapping with %u RX and %u TX descriptors posted",
	     s.st.rx, s.st.tx,
	     (s.rx_tail + RING_COUNT - s.rx_clean) % RING_COUNT, inflight);
	if (o->partial) {
		unmap_partial(&s, o);
	} else if (dma_unmap_all(&s, "busy") == 0) {
		pinned_zero(uuid, 0, "UNMAP_DMA");
		watch_quiet(&s, 2000, "UNMAP_DMA");
	}
	rdh = rd32(&s, CDNA_VF_RDH(0));
	rdt = rd32(&s, CDNA_VF_RDT(0));
	tdh = rd32(&s, CDNA_VF_TDH(0));
	tdt = rd32(&s, CDNA_VF_TDT(0));
	note("unmap-busy: after the unmap RDH=%u RDT=%u TDH=%u TDT=%u RXDCTL=0x%08x TXDCTL=0x%08x",
	     rdh, rdt, tdh, tdt, rd32(&s, CDNA_VF_RXDCTL(0)),
	     rd32(&s, CDNA_VF_TXDCTL(0)));
	stats_line(&s, "summary");
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

static int cmd_inflight_close(const char *uuid, const struct opts *o)
{
	uint8_t frame[MAX_FRAME + 2];
	struct swc s;
	uint32_t len;
	unsigned int i;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	if (bring_up(&s, o))
		goto out;
	note("ready: mac=%s", mac_str(s.mac));
	for (i = 0; i < 32; i++) {
		memset(frame, 0, sizeof(frame));
		len = udp_frame(frame, nowhere_mac, s.mac, o->ip,
				htonl(INADDR_BROADCAST), 1200, i);
		tx_frame(&s, frame, len, true);
	}
	tx_kick(&s);
	note("inflight-close: %u RX and %u TX descriptors posted; closing the device",
	     (s.rx_tail + RING_COUNT - s.rx_clean) % RING_COUNT,
	     (s.tx_tail + RING_COUNT - s.tx_clean) % RING_COUNT);
	dev_close(&s);
	pinned_zero(uuid, 5000, "close(device)");
	watch_quiet(&s, 2000, "close(device)");
	/* Exit with the mapping and container still there: the kernel tidies. */
	note("inflight-close: exiting");
	return nfail ? 1 : 0;
out:
	swc_close(&s);
	return 1;
}

/* Wait (bounded) for DD in RX slots [0, n). */
static bool rx_wait_dd(struct swc *s, uint32_t n, unsigned int ms)
{
	uint64_t deadline = now_ms() + ms;
	uint32_t i;

	for (;;) {
		for (i = 0; i < n; i++)
			if (!(le32_read(&s->rxr[i].wb.status_error) &
			      CDNA_RXD_STAT_DD))
				break;
		if (i == n)
			return true;
		if (now_ms() > deadline)
			return false;
		irq_wait(s, 20);
	}
}

/*
 * Descriptors the guard must refuse, never execute: RX buffers outside
 * the VM's memory (unmapped IOVA, address 0, a buffer running off the end
 * of the mapping) complete at once with RXE and length 0; TX buffers
 * outside it, or of a type the guard does not take, complete (DD) without
 * reaching the wire (the VF's GPTC counts only the good frame after them).
 */
static int cmd_refuse(const char *uuid, const struct opts *o)
{
	static const char *const rx_what[] = {
		"an unmapped IOVA", "address 0", "a buffer across the mapping's end",
	};
	uint64_t rx_bad[3] = {
		s_unused_iova(o->iova), 0, o->iova + MEM_SIZE - RX_BUF_LEN / 2,
	};
	uint8_t frame[MAX_FRAME + 2] = { 0 };
	struct cdna_tx_params p = { 0 };
	struct cdna_tx_offload off;
	long long ref0, ref1;
	uint32_t gptc0, gptc1, i, st, len, boff;
	struct swc s;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	ref0 = ledger_read(uuid, CDNA_LEDGER_DESC_REFUSED);
	if (bring_up_rx(&s, o, false))
		goto out;
	note("ready: mac=%s descriptors_refused=%lld", mac_str(s.mac), ref0);

	/* RX: three bad buffers, then a good one. */
	for (i = 0; i < 3; i++)
		cdna_rx_desc_post(&s.rxr[i], rx_bad[i]);
	rx_post_slot(&s, 3);
	s.rx_tail = 4;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(&s, CDNA_VF_RDT(0), s.rx_tail);
	if (!rx_wait_dd(&s, 3, 3000))
		fail("refused RX descriptors not completed in 3 s (RDH %u)",
		     rd32(&s, CDNA_VF_RDH(0)));
	for (i = 0; i < 3; i++) {
		st = le32_read(&s.rxr[i].wb.status_error);
		len = le16toh(s.rxr[i].wb.length);
		note("refuse: RX slot %u (%s, 0x%" PRIx64 "): status 0x%08x length %u",
		     i, rx_what[i], rx_bad[i], st, len);
		if (!(st & CDNA_RXD_STAT_DD) || !(st & CDNA_RXD_ERR_RXE) || len)
			fail("RX descriptor with %s not refused (status 0x%08x, length %u)",
			     rx_what[i], st, len);
	}

	/* TX: a buffer outside the memory, a legacy descriptor, a good one. */
	gptc0 = rd32(&s, CDNA_VF_GPTC);
	len = udp_frame(frame, nowhere_mac, s.mac, o->ip,
			htonl(INADDR_BROADCAST), 200, 1);
	p.len = len;
	cdna_tx_offload_build(&p, &off);
	cdna_tx_data_write(&s.txr[0], s_unused_iova(o->iova), len, &off);
	cdna_tx_data_end(&s.txr[0]);
	boff = tx_buf_off(&s, 1, len);
	memcpy(s.mem + boff, frame, len);
	cdna_tx_data_write(&s.txr[1], s.iova + boff, len, &off);
	cdna_tx_data_end(&s.txr[1]);
	s.txr[1].read.cmd_type_len &= ~htole32(CDNA_TXD_CMD_DEXT);
	s.tx_tail = 2;
	s.st.tx += 2;
	tx_frame(&s, frame, len, false);	/* slot 2, kicks the tail to 3 */
	{
		uint64_t deadline = now_ms() + 3000;

		while (s.tx_clean != s.tx_tail && now_ms() < deadline) {
			irq_wait(&s, 20);
			tx_reclaim(&s);
		}
	}
	if (s.tx_clean != s.tx_tail)
		fail("TX descriptors not all done in 3 s (%u of 3, TDH %u)",
		     s.tx_clean, rd32(&s, CDNA_VF_TDH(0)));
	sleep_ms(200);
	gptc1 = rd32(&s, CDNA_VF_GPTC);
	note("refuse: TX: 3 descriptors done, VF GPTC %u -> %u", gptc0, gptc1);
	if (gptc1 - gptc0 > 1)
		fail("%u frames left the VF for 1 good and 2 refused TX descriptors",
		     gptc1 - gptc0);
	else if (gptc1 == gptc0)
		note("refuse: GPTC did not move (the model counts with VMDq only)");

	ref1 = ledger_read(uuid, CDNA_LEDGER_DESC_REFUSED);
	note("refuse: ledger descriptors_refused %lld -> %lld", ref0, ref1);
	if (ref0 >= 0 && ref1 - ref0 < 5)
		fail("descriptors_refused grew by %lld, want 5", ref1 - ref0);
	bring_down(&s);
	stats_line(&s, "summary");
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

/*
 * A guest that never stops posting bad descriptors: RX descriptors with
 * buffer address 0, FLOOD_BATCH a doorbell, until a register access
 * fails with EIO (the guard quarantined the context) or --count
 * descriptors (default 100000) are posted.  Then every BAR0 access and
 * VFIO_DEVICE_RESET must fail with EIO.
 */
#define FLOOD_BATCH	32

static int bar0_raw(struct swc *s, uint32_t reg, uint32_t *val, bool write)
{
	uint32_t v = htole32(*val);
	ssize_t n;

	n = write ? pwrite(s->fd, &v, 4, s->bar0_off + reg) :
		    pread(s->fd, &v, 4, s->bar0_off + reg);
	if (n != 4)
		return n < 0 ? -errno : -EIO;
	*val = le32toh(v);
	return 0;
}

static int cmd_flood(const char *uuid, const struct opts *o)
{
	unsigned long long limit = o->count ? o->count : 100000, posted = 0;
	long long ref0, ref1;
	uint64_t deadline;
	uint32_t i, v, head;
	int err = 0;
	struct swc s;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	ref0 = ledger_read(uuid, CDNA_LEDGER_DESC_REFUSED);
	if (bring_up_rx(&s, o, false))
		goto out;
	note("ready: mac=%s descriptors_refused=%lld", mac_str(s.mac), ref0);
	while (posted < limit && !err) {
		for (i = 0; i < FLOOD_BATCH; i++)
			cdna_rx_desc_post(&s.rxr[(s.rx_tail + i) % RING_COUNT], 0);
		s.rx_tail = (s.rx_tail + FLOOD_BATCH) % RING_COUNT;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		v = s.rx_tail;
		err = bar0_raw(&s, CDNA_VF_RDT(0), &v, true);
		if (err)
			break;
		posted += FLOOD_BATCH;
		/* Refused descriptors complete at once: the head follows. */
		deadline = now_ms() + 1000;
		do
			err = bar0_raw(&s, CDNA_VF_RDH(0), &head, false);
		while (!err && head != s.rx_tail && now_ms() < deadline);
		if (!err && head != s.rx_tail) {
			fail("RDH %u, tail %u: refused descriptors not completed in 1 s",
			     head, s.rx_tail);
			goto out;
		}
	}
	ref1 = ledger_read(uuid, CDNA_LEDGER_DESC_REFUSED);
	note("flood: %llu descriptors posted, then %s; descriptors_refused %lld -> %lld",
	     posted, err ? strerror(-err) : "no error", ref0, ref1);
	if (err != -EIO) {
		fail("%llu bad descriptors posted and the context still answers",
		     posted);
		goto out;
	}
	v = 0;
	err = bar0_raw(&s, CDNA_VF_STATUS, &v, false);
	if (err != -EIO)
		fail("STATUS read after quarantine: %s, want EIO",
		     err ? strerror(-err) : "it worked");
	err = bar0_raw(&s, CDNA_VF_V2PMAILBOX, &v, true);
	if (err != -EIO)
		fail("mailbox write after quarantine: %s, want EIO",
		     err ? strerror(-err) : "it worked");
	if (ioctl(s.fd, VFIO_DEVICE_RESET) == 0 || errno != EIO)
		fail("VFIO_DEVICE_RESET after quarantine: %s, want EIO",
		     strerror(errno));
	else
		note("flood: quarantined: BAR0 and VFIO_DEVICE_RESET answer EIO");
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

/* Vectors whose eventfd fired within @ms (collected for the whole wait). */
static unsigned int irq_collect(struct swc *s, unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	unsigned int fired = 0;

	do
		fired |= irq_wait(s, 20);
	while (now_ms() < end);
	return fired;
}

/*
 * The interrupt registers, with causes made by EICS: a masked cause stays
 * pending in EICR and is delivered when EIMS unmasks it; EIAC clears the
 * cause when its interrupt is sent, EIAM masks the vector; each cause
 * signals its own vector's eventfd only.
 */
static int cmd_irq_model(const char *uuid, const struct opts *o)
{
	unsigned int v, fired;
	uint32_t eicr, eims;
	struct swc s;

	if (swc_open(&s, uuid, o->iova))
		return 1;
	dev_enable(&s);
	if (irqs_set(&s, true))
		goto out;
	wr32(&s, CDNA_VF_EIMC, VEC_ALL);
	wr32(&s, CDNA_VF_EIAC, 0);
	wr32(&s, CDNA_VF_EIAM, 0);
	rd32(&s, CDNA_VF_EICR);
	irq_collect(&s, 100);

	for (v = 0; v < CDNA_VF_NUM_MSIX; v++) {
		/* Masked: pending, no interrupt. */
		wr32(&s, CDNA_VF_EICS, BIT(v));
		fired = irq_collect(&s, 300);
		eicr = rd32(&s, CDNA_VF_EICR);
		note("irq: vector %u masked: EICS -> fired 0x%x, EICR 0x%x", v,
		     fired, eicr);
		if (fired)
			fail("vector %u: a masked cause signalled eventfds 0x%x", v, fired);
		if (!(eicr & BIT(v)))
			fail("vector %u: EICR 0x%x lacks the masked cause", v, eicr);
		/* Pending, then unmasked: delivered, to this vector only. */
		wr32(&s, CDNA_VF_EICS, BIT(v));
		wr32(&s, CDNA_VF_EIMS, BIT(v));
		fired = irq_collect(&s, 300);
		note("irq: vector %u pending, EIMS -> fired 0x%x", v, fired);
		if (fired != BIT(v))
			fail("vector %u: unmasking a pending cause fired 0x%x, want 0x%lx",
			     v, fired, BIT(v));
		/* Unmasked, no auto-clear: the cause stays in EICR. */
		rd32(&s, CDNA_VF_EICR);
		wr32(&s, CDNA_VF_EICS, BIT(v));
		fired = irq_collect(&s, 300);
		eicr = rd32(&s, CDNA_VF_EICR);
		if (fired != BIT(v) || !(eicr & BIT(v)))
			fail("vector %u: EICS fired 0x%x, EICR 0x%x (no EIAC: cause kept)",
			     v, fired, eicr);
		/* EIAC: the cause is cleared when the interrupt goes out. */
		wr32(&s, CDNA_VF_EIAC, BIT(v));
		wr32(&s, CDNA_VF_EICS, BIT(v));
		fired = irq_collect(&s, 300);
		eicr = rd32(&s, CDNA_VF_EICR);
		note("irq: vector %u EIAC: fired 0x%x, EICR 0x%x", v, fired, eicr);
		if (fired != BIT(v) || (eicr & BIT(v)))
			fail("vector %u with EIAC: fired 0x%x, EICR 0x%x (want cleared)",
			     v, fired, eicr);
		/*
		 * EIAM: the vector masks itself when it fires.  (A later EICS
		 * of an auto-masked vector unmasks it on the guard, as igbvf
		 * expects of the 82576: shown, not checked.)
		 */
		wr32(&s, CDNA_VF_EIAM, BIT(v));
		wr32(&s, CDNA_VF_EICS, BIT(v));
		fired = irq_collect(&s, 300);
		eims = rd32(&s, CDNA_VF_EIMS);
		note("irq: vector %u EIAM: fired 0x%x, EIMS 0x%x after", v, fired,
		     eims);
		if (fired != BIT(v) || (eims & BIT(v)))
			fail("vector %u with EIAM: fired 0x%x, EIMS 0x%x (want auto-masked)",
			     v, fired, eims);
		wr32(&s, CDNA_VF_EICS, BIT(v));
		note("irq: vector %u auto-masked, EICS again: fired 0x%x", v,
		     irq_collect(&s, 300));
		wr32(&s, CDNA_VF_EIMC, VEC_ALL);
		wr32(&s, CDNA_VF_EIAC, 0);
		wr32(&s, CDNA_VF_EIAM, 0);
		rd32(&s, CDNA_VF_EICR);
	}
	stats_line(&s, "summary");
	irqs_set(&s, false);
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* The other end, with sockets.                                        */

static int cmd_udp_send(const struct opts *o)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t buf[65536];
	struct timespec next;
	uint64_t gap_us;
	unsigned int i, errs = 0;
	int fd, one = 1;

	if (!o->dst_ip || !o->count || o->size < 4 || o->size > sizeof(buf)) {
		fprintf(stderr, "udp-send: --dst A.B.C.D, --count N and --size S >= 4 are required\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		fail("socket: %s", strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	to.sin_addr.s_addr = o->dst_ip;
	to.sin_port = htons(o->port);
	gap_us = o->rate ? 1000000ull / o->rate : 0;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; i < o->count && !stop; i++) {
		pat_fill(buf, o->size, i);
		if (sendto(fd, buf, o->size, 0, (struct sockaddr *)&to,
			   sizeof(to)) != (ssize_t)o->size && errs++ < 5)
			note("udp-send: seq %u: %s", i, strerror(errno));
		if (gap_us) {
			next.tv_nsec += gap_us * 1000;
			while (next.tv_nsec >= 1000000000) {
				next.tv_nsec -= 1000000000;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
	}
	note("udp-send: sent=%u errors=%u", i, errs);
	close(fd);
	return 0;
}

static int cmd_udp_recv(const struct opts *o)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	uint8_t buf[65536];
	unsigned int ok = 0, bad = 0, max_seq = 0;
	uint32_t seq, at;
	uint64_t end;
	ssize_t n;
	int fd, sz = 4 << 20, one = 1;

	if (!o->count) {
		fprintf(stderr, "udp-recv: --count N is required\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		fail("socket: %s", strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	me.sin_port = htons(o->port);
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		fail("bind UDP port %u: %s", o->port, strerror(errno));
		return 1;
	}
	note("ready: udp-recv on port %u", o->port);
	end = now_ms() + o->seconds * 1000ull;
	while (ok + bad < o->count && !stop && now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			continue;
		at = pat_check(buf, n, &seq);
		if (at) {
			if (bad++ < 10)
				note("udp-recv: datagram of %zd bytes (seq %u) differs at byte %u",
				     n, seq, at - 1);
			continue;
		}
		if (o->size && (size_t)n != o->size) {
			if (bad++ < 10)
				note("udp-recv: seq %u: %zd bytes, want %u", seq, n,
				     o->size);
			continue;
		}
		ok++;
		if (seq > max_seq)
			max_seq = seq;
	}
	note("udp-recv: ok=%u bad=%u max_seq=%u", ok, bad, max_seq);
	close(fd);
	return bad ? 1 : 0;
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr,
		"usage: sw-client info|reset|inflight-close|refuse|irq-model UUID [--iova HEX]\n"
		"       sw-client unmap-busy UUID [--seconds N] [--partial]\n"
		"       sw-client flood UUID [--count N]\n"
		"       sw-client serve UUID --ip A.B.C.D [--seconds N] [--straddle] [--count-frames]\n"
		"       sw-client blast UUID --dst MAC --count N --size S [--ip A.B.C.D]\n"
		"                 [--dst-ip A.B.C.D] [--rate PPS] [--straddle] [--head-wb]\n"
		"       sw-client udp-send --dst A.B.C.D --count N --size S [--rate PPS] [--port P]\n"
		"       sw-client udp-recv --count N [--size S] [--seconds N] [--port P]\n");
	exit(2);
}

static uint32_t parse_ip(const char *s)
{
	struct in_addr a;

	if (!inet_aton(s, &a)) {
		fprintf(stderr, "bad IPv4 address '%s'\n", s);
		usage();
	}
	return a.s_addr;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "ip", required_argument, NULL, 'i' },
		{ "dst", required_argument, NULL, 'd' },
		{ "dst-ip", required_argument, NULL, 'D' },
		{ "seconds", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "port", required_argument, NULL, 'p' },
		{ "iova", required_argument, NULL, 'a' },
		{ "straddle", no_argument, NULL, 'S' },
		{ "count-frames", no_argument, NULL, 'f' },
		{ "partial", no_argument, NULL, 'P' },
		{ "head-wb", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.seconds = 0, .port = UDP_PORT, .iova = DEFAULT_IOVA,
		.dst_ip = htonl(INADDR_BROADCAST),
	};
	const char *cmd, *uuid = NULL;
	bool sock_cmd, dst_given = false;
	int c;

	if (argc < 2)
		usage();
	cmd = argv[1];
	sock_cmd = !strcmp(cmd, "udp-send") || !strcmp(cmd, "udp-recv");
	if (!sock_cmd) {
		if (argc < 3)
			usage();
		uuid = argv[2];
	}
	optind = sock_cmd ? 2 : 3;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 'i': o.ip = parse_ip(optarg); break;
		case 'd':
			dst_given = true;
			if (sock_cmd)
				o.dst_ip = parse_ip(optarg);
			else if (!(o.have_dst_mac = parse_mac(optarg, o.dst_mac)))
				usage();
			break;
		case 'D': o.dst_ip = parse_ip(optarg); break;
		case 't': o.seconds = strtoul(optarg, NULL, 0); break;
		case 'c': o.count = strtoul(optarg, NULL, 0); break;
		case 's': o.size = strtoul(optarg, NULL, 0); break;
		case 'r': o.rate = strtoul(optarg, NULL, 0); break;
		case 'p': o.port = strtoul(optarg, NULL, 0); break;
		case 'a': o.iova = strtoull(optarg, NULL, 16); break;
		case 'S': o.straddle = true; break;
		case 'f': o.count_frames = true; break;
		case 'P': o.partial = true; break;
		case 'H': o.head_wb = true; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (!strcmp(cmd, "udp-send") && !dst_given)
		o.dst_ip = 0;
	signals();
	wd_start();
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!strcmp(cmd, "info"))
		return cmd_info(uuid, &o);
	if (!strcmp(cmd, "reset"))
		return cmd_reset(uuid, &o);
	if (!strcmp(cmd, "serve")) {
		if (!o.seconds)
			o.seconds = 600;
		return cmd_serve(uuid, &o);
	}
	if (!strcmp(cmd, "blast"))
		return cmd_blast(uuid, &o);
	if (!strcmp(cmd, "unmap-busy"))
		return cmd_unmap_busy(uuid, &o);
	if (!strcmp(cmd, "inflight-close"))
		return cmd_inflight_close(uuid, &o);
	if (!strcmp(cmd, "refuse"))
		return cmd_refuse(uuid, &o);
	if (!strcmp(cmd, "flood"))
		return cmd_flood(uuid, &o);
	if (!strcmp(cmd, "irq-model"))
		return cmd_irq_model(uuid, &o);
	if (!strcmp(cmd, "udp-send"))
		return cmd_udp_send(&o);
	if (!strcmp(cmd, "udp-recv")) {
		if (!o.seconds)
			o.seconds = 60;
		return cmd_udp_recv(&o);
	}
	usage();
	return 2;
}
