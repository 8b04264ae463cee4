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
 *   sw-client blast UUID --dst MAC --count N --size S [--ip A.B.C.D] [--vlan TCI]
 *                        [--src MAC (not the context's: a spoofed frame)]
 *                        [--dst-ip A.B.C.D] [--rate PPS] [--straddle] [--head-wb]
 *   sw-client unmap-busy UUID [--seconds N] [--partial]
 *   sw-client inflight-close UUID
 *   sw-client refuse UUID
 *   sw-client flood UUID [--count N]
 *   sw-client irq-model UUID
 *   sw-client hostile UUID --canary FILE [--rounds N]
 *   sw-client irq-storm UUID --seconds N --dst MAC [--ip A.B.C.D]
 *                       [--control | --mode-file FILE]
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
 * EIO from BAR0 and VFIO_DEVICE_RESET; hostile posts crafted descriptors
 * and ring registers of every kind the guard must refuse, class by class,
 * some of them at the host physical addresses of canary pages (see
 * cmd_hostile()).  The
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
#include <sys/resource.h>
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

static uint64_t pagemap_pfn(int fd, const void *va)
{
	uint64_t e;
	off_t off = (uintptr_t)va / PAGE * sizeof(e);

	if (pread(fd, &e, sizeof(e), off) != sizeof(e) || !(e >> 63))
		return 0;
	return e & ((1ull << 55) - 1);
}

/*
 * Fault the pages of [p, p + len) in an order that keeps neighbouring
 * virtual pages apart in host memory: every even page first, then every
 * odd one, so consecutive pages come from separate runs of allocations.
 * An allocator that still hands out runs (a freshly booted kernel, the
 * debug kernel) leaves some neighbours host-contiguous: those get a page
 * of a spare mapping moved in (mremap) instead, wherever the pfns can be
 * read (/proc/self/pagemap, as root).
 */
static void mem_fault_interleaved(uint8_t *p, size_t len)
{
	size_t i, j = 0, n = len / PAGE, nspare = n / 2 + 16;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t a, b, c, next;
	uint8_t *spare;

	for (i = 0; i < n; i += 2)
		p[i * PAGE] = 0;
	for (i = 1; i < n; i += 2)
		p[i * PAGE] = 0;
	if (fd < 0)
		return;
	spare = mmap(NULL, nspare * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (spare == MAP_FAILED) {
		close(fd);
		return;
	}
	madvise(spare, nspare * PAGE, MADV_NOHUGEPAGE);
	for (i = nspare; i-- > 0;)
		spare[i * PAGE] = 0;
	for (i = 0; i + 1 < n; i++) {
		a = pagemap_pfn(fd, p + i * PAGE);
		b = pagemap_pfn(fd, p + (i + 1) * PAGE);
		if (!a || b != a + 1)
			continue;
		next = i + 2 < n ? pagemap_pfn(fd, p + (i + 2) * PAGE) : 0;
		for (; j < nspare; j++) {
			c = pagemap_pfn(fd, spare + j * PAGE);
			if (c && c != a + 1 && (!next || c + 1 != next))
				break;
		}
		if (j == nspare)
			break;
		if (mremap(spare + j * PAGE, PAGE, PAGE,
			   MREMAP_MAYMOVE | MREMAP_FIXED,
			   p + (i + 1) * PAGE) == MAP_FAILED)
			break;
		j++;
	}
	munmap(spare, nspare * PAGE);	/* what was not moved */
	close(fd);
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
	uint8_t dst_mac[6], src_mac[6];
	bool have_dst_mac, have_src_mac;	/* blast --src: a source of its own */
	unsigned int seconds, count, size, rate, port;
	bool straddle, count_frames, partial, head_wb;
	int vlan;		/* blast: an 802.1Q tag of this TCI, -1: none */
	uint64_t iova;
	const char *canary;
	unsigned int rounds;
	bool control;
	const char *mode_file;
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
	uint8_t frame[MAX_FRAME + 6];	/* room for a tag (--vlan) */
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
		len = udp_frame(frame, o->dst_mac,
				o->have_src_mac ? o->src_mac : s.mac, o->ip,
				o->dst_ip, o->size, i);
		if (o->vlan >= 0) {
			/* The tag after the source address. */
			memmove(frame + 16, frame + 12, len - 12);
			frame[12] = 0x81;
			frame[13] = 0x00;
			frame[14] = (uint8_t)(o->vlan >> 8);
			frame[15] = (uint8_t)o->vlan;
			len += 4;
		}
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
/* A hostile guest.                                                    */

/*
 * sw-client hostile UUID --canary FILE [--rounds N]: a guest driver that
 * attacks the guard with crafted descriptors and ring registers, class
 * by class, each class's outcome checked against the ledger's
 * descriptors_validated and descriptors_refused (sw_refused_limit must
 * be 0, or the context is quarantined part way), the write-backs and the
 * VF's GPTC.  FILE holds the host physical addresses of canary pages
 * (tests/tools/canary): descriptors and rings name them as if they were
 * guest addresses.  Between classes a probe checks that both queues
 * still work.  Frames that may reach the wire carry "cdna-canary-ctl!";
 * frames the guard must never send, "cdna-canary-ref!"; canary pages
 * "cdna-canary-" and four hex digits.  The memory is mapped at --iova,
 * which must lie above the host's RAM (no canary inside the window).
 */
#define HOST_ALT_RING		0x3000	/* a second RX ring, for the re-base */
#define HOST_CTL_BUF		0x4000	/* a frame that may be sent */
#define HOST_REF_BUF		0x5000	/* a frame that must never be sent */
#define HOST_FRAME		256
#define HOST_MAX_CANARY		4096
#define HOST_ETHERTYPE		0x88b5	/* local experimental */
#define HOST_RXDCTL		(FIELD_PREP(CDNA_VF_RXDCTL_PTHRESH, 16) | \
				 FIELD_PREP(CDNA_VF_RXDCTL_HTHRESH, 8) | \
				 FIELD_PREP(CDNA_VF_RXDCTL_WTHRESH, 1) | \
				 CDNA_VF_RXDCTL_ENABLE)
#define HOST_TXDCTL		(FIELD_PREP(CDNA_VF_TXDCTL_PTHRESH, 8) | \
				 FIELD_PREP(CDNA_VF_TXDCTL_HTHRESH, 1) | \
				 FIELD_PREP(CDNA_VF_TXDCTL_WTHRESH, 1) | \
				 CDNA_VF_TXDCTL_ENABLE)
#define HOST_SRRCTL		(FIELD_PREP(CDNA_VF_SRRCTL_BSIZEPKT, RX_BUF_LEN / 1024) | \
				 FIELD_PREP(CDNA_VF_SRRCTL_DESCTYPE, \
					    CDNA_VF_SRRCTL_DESCTYPE_ONEBUF) | \
				 CDNA_VF_SRRCTL_DROP_EN)
#define HOST_RING_BYTES		(RING_COUNT * CDNA_DESC_SIZE)

struct hostile {
	struct swc *s;
	const char *uuid;
	uint64_t canary[HOST_MAX_CANARY];
	unsigned int ncanary;
	unsigned int rounds;
	/* the class being run */
	const char *cls;
	long long ref0, val0, pol0;
	uint32_t gptc0;
	unsigned int good;	/* frames the class may have sent */
	/* totals */
	unsigned long long posted, refused, validated, policy;
	unsigned int classes, classes_bad, probes;
	char strategy[16];
};

/* A buffer in the VM's memory holding a frame that must never be sent. */
static uint64_t s_iova_ref(struct hostile *h)
{
	return h->s->iova + HOST_REF_BUF;
}

static unsigned int umin(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

static long long led_refused(struct hostile *h)
{
	return ledger_read(h->uuid, CDNA_LEDGER_DESC_REFUSED);
}

static long long led_validated(struct hostile *h)
{
	return ledger_read(h->uuid, CDNA_LEDGER_DESC_VALIDATED);
}

/*
 * TX frames the guard drops for the context's policy (a source MAC not
 * its own, a VLAN it may not use; ledger spoof_dropped and vlan_dropped,
 * where the guard has them): never sent, but not counted as refused.
 */
static long long led_policy(struct hostile *h)
{
	long long spoof = ledger_read(h->uuid, CDNA_LEDGER_SPOOF_DROPPED);
	long long vlan = ledger_read(h->uuid, CDNA_LEDGER_VLAN_DROPPED);

	return (spoof > 0 ? spoof : 0) + (vlan > 0 ? vlan : 0);
}

static void h_begin(struct hostile *h, const char *cls)
{
	h->cls = cls;
	h->ref0 = led_refused(h);
	h->val0 = led_validated(h);
	h->pol0 = led_policy(h);
	h->gptc0 = rd32(h->s, CDNA_VF_GPTC);
	h->good = 0;
}

/*
 * The verdict of a class of @posted descriptors: @want_ref refused and
 * @want_val validated, or (@want_ref < 0) each one either of the two.
 * The VF may not have sent more frames than the class's good ones.
 */
static void h_end(struct hostile *h, unsigned int posted, long long want_ref,
		  long long want_val, const char *outcome)
{
	long long ref = led_refused(h) - h->ref0;
	long long val = led_validated(h) - h->val0;
	long long pol = led_policy(h) - h->pol0;
	uint32_t sent = rd32(h->s, CDNA_VF_GPTC) - h->gptc0;
	int f0 = nfail;
	bool ok;

	/* A policy drop is a refusal too: never sent (reported apart). */
	if (want_ref < 0)
		ok = ref + pol + val == posted;
	else
		ok = ref + pol == want_ref && val == want_val;
	if (!ok && want_ref < 0)
		fail("%s: %u descriptors, but descriptors_refused +%lld, policy drops +%lld and descriptors_validated +%lld",
		     h->cls, posted, ref, pol, val);
	else if (!ok)
		fail("%s: descriptors_refused +%lld, policy drops +%lld, descriptors_validated +%lld; want +%lld refused and +%lld validated",
		     h->cls, ref, pol, val, want_ref, want_val);
	if (sent > h->good)
		fail("%s: the VF sent %u frames, the class had %u good ones",
		     h->cls, sent, h->good);
	note("class: %s descriptors=%u refused=%lld policy=%lld validated=%lld sent=%u %s: %s",
	     h->cls, posted, ref, pol, val, sent, outcome,
	     nfail == f0 ? "ok" : "FAILED");
	h->policy += pol > 0 ? pol : 0;
	h->posted += posted;
	h->refused += ref > 0 ? ref : 0;
	h->validated += val > 0 ? val : 0;
	h->classes++;
	if (nfail != f0)
		h->classes_bad++;
}

/* Canary page i's address, at an offset that varies with i. */
static uint64_t h_canary(struct hostile *h, unsigned int i)
{
	return h->canary[i % h->ncanary] + (i * 64u) % PAGE;
}

/*
 * An address the VM did not map: just below or above its memory, low
 * host RAM, far up, the MSI doorbell.
 */
static uint64_t h_outside(struct hostile *h, unsigned int i)
{
	uint64_t base = h->s->iova;

	switch (i % 5) {
	case 0:
		return base - PAGE * (1 + i % 64);
	case 1:
		return base + MEM_SIZE + PAGE * (i % 64) + (i % 7) * 8;
	case 2:
		return PAGE * (1 + i % 4096);
	case 3:
		return (1ull << 47) + (uint64_t)PAGE * i;
	default:
		return 0xfee00000ull + (i % 16) * 16;
	}
}

/* An RX buffer (2 KiB) across either end of the VM's memory. */
static uint64_t h_straddle(struct hostile *h, unsigned int i)
{
	if (i % 2)
		return h->s->iova + MEM_SIZE - 1 - (i * 37u) % (RX_BUF_LEN - 1);
	return h->s->iova - 1 - (i * 61u) % (PAGE - 1);
}

/* Address 0, or a buffer whose end wraps past 2^64. */
static uint64_t h_wrap(struct hostile *h, unsigned int i)
{
	(void)h;
	if (i % 8 == 0)
		return 0;
	return 0ull - 1 - (i * 29u) % (RX_BUF_LEN - 1);
}

static uint64_t h_mix(struct hostile *h, unsigned int i)
{
	switch (i % 4) {
	case 0:
		return h_canary(h, i);
	case 1:
		return h_outside(h, i);
	case 2:
		return h_straddle(h, i);
	default:
		return h_wrap(h, i);
	}
}

/* Wait (bounded) for a head register to reach @tail. */
static bool h_head_is(struct hostile *h, uint32_t reg, uint32_t tail,
		      unsigned int ms)
{
	uint64_t deadline = now_ms() + ms;

	do {
		if (rd32(h->s, reg) == tail)
			return true;
		irq_wait(h->s, 1);
	} while (now_ms() < deadline);
	return rd32(h->s, reg) == tail;
}

/*
 * Post @n RX descriptors at the addresses @addr gives, @batch a doorbell
 * (the ring wraps as it goes): each must come back at once, refused (DD,
 * RXE, length 0).
 */
static void h_rx_bad(struct hostile *h, unsigned int n, unsigned int batch,
		     uint64_t (*addr)(struct hostile *, unsigned int))
{
	struct swc *s = h->s;
	unsigned int i = 0, j, k, bad = 0;
	uint32_t first, st;

	batch = umin(batch, RING_COUNT - 1);
	while (i < n) {
		k = umin(batch, n - i);
		first = s->rx_tail;
		for (j = 0; j < k; j++)
			cdna_rx_desc_post(&s->rxr[(first + j) % RING_COUNT],
					  addr(h, i + j));
		s->rx_tail = (first + k) % RING_COUNT;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr32(s, CDNA_VF_RDT(0), s->rx_tail);
		if (!h_head_is(h, CDNA_VF_RDH(0), s->rx_tail, 2000)) {
			fail("%s: RDH %u, tail %u: refused RX descriptors not completed in 2 s",
			     h->cls, rd32(s, CDNA_VF_RDH(0)), s->rx_tail);
			break;
		}
		for (j = 0; j < k; j++) {
			union cdna_rx_desc *d = &s->rxr[(first + j) % RING_COUNT];

			st = le32_read(&d->wb.status_error);
			if ((st & CDNA_RXD_STAT_DD) && (st & CDNA_RXD_ERR_RXE) &&
			    !le16toh(d->wb.length))
				continue;
			if (bad++ < 3)
				note("%s: RX slot %u (0x%" PRIx64 "): status 0x%08x length %u",
				     h->cls, (first + j) % RING_COUNT, addr(h, i + j),
				     st, le16toh(d->wb.length));
		}
		i += k;
	}
	s->rx_clean = s->rx_tail;
	if (bad)
		fail("%s: %u RX descriptors not completed as refused", h->cls, bad);
}

/* One TX data descriptor: @len bytes at @addr, with @cmd and @olinfo. */
static void h_txd(union cdna_tx_desc *d, uint64_t addr, uint32_t len,
		  uint32_t cmd, uint32_t olinfo)
{
	d->read.buffer_addr = htole64(addr);
	d->read.cmd_type_len =
		htole32(FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA) |
			CDNA_TXD_CMD_DEXT | CDNA_TXD_CMD_IFCS |
			FIELD_PREP(CDNA_TXD_DTALEN, len) | cmd);
	d->read.olinfo_status = htole32(olinfo);
}

/* A data descriptor ending a one-descriptor packet. */
static void h_txd_pkt(union cdna_tx_desc *d, uint64_t addr, uint32_t len)
{
	h_txd(d, addr, len, CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS,
	      FIELD_PREP(CDNA_TXD_PAYLEN, len));
}

/* A context descriptor for slot @idx with @mss_l4len (IDX added). */
static void h_txc(union cdna_tx_desc *d, uint32_t idx, uint32_t macip,
		  uint32_t mss_l4len)
{
	d->ctx.vlan_macip_lens = htole32(macip);
	d->ctx.seqnum_seed = 0;
	d->ctx.type_tucmd_mlhl =
		htole32(FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_CTXT) |
			CDNA_TXD_CMD_DEXT | CDNA_TXC_TUCMD_IPV4 |
			FIELD_PREP(CDNA_TXC_TUCMD_L4T, 1));
	d->ctx.mss_l4len_idx = htole32(mss_l4len | FIELD_PREP(CDNA_TXC_IDX, idx));
}

/* The next TX slot, zeroed; the caller fills it, h_tx_kick() posts it. */
static union cdna_tx_desc *h_tx_put(struct hostile *h)
{
	struct swc *s = h->s;
	union cdna_tx_desc *d = &s->txr[s->tx_tail];

	memset(d, 0, sizeof(*d));
	s->tx_tail = (s->tx_tail + 1) % RING_COUNT;
	return d;
}

/* TX slots of [tx_clean, @upto) with RS but no DD. */
static unsigned int h_tx_no_dd(struct hostile *h, uint32_t upto)
{
	struct swc *s = h->s;
	unsigned int bad = 0;
	uint32_t i;

	for (i = s->tx_clean; i != upto; i = (i + 1) % RING_COUNT) {
		union cdna_tx_desc *d = &s->txr[i];

		if ((le32toh(d->read.cmd_type_len) & CDNA_TXD_CMD_RS) &&
		    !(le32_read(&d->wb.status) & CDNA_TXD_STAT_DD))
			bad++;
	}
	s->tx_clean = upto;
	return bad;
}

/* The tail to the NIC; wait until the guard completed everything. */
static void h_tx_kick(struct hostile *h)
{
	struct swc *s = h->s;
	unsigned int bad;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, CDNA_VF_TDT(0), s->tx_tail);
	if (!h_head_is(h, CDNA_VF_TDH(0), s->tx_tail, 2000)) {
		fail("%s: TDH %u, tail %u: TX descriptors not completed in 2 s",
		     h->cls, rd32(s, CDNA_VF_TDH(0)), s->tx_tail);
		s->tx_clean = s->tx_tail;
		return;
	}
	bad = h_tx_no_dd(h, s->tx_tail);
	if (bad)
		fail("%s: %u TX descriptors with RS completed without DD",
		     h->cls, bad);
}

static uint32_t h_len(unsigned int i)
{
	return MIN_FRAME + (i * 97u) % (MAX_FRAME - MIN_FRAME + 1);
}

/*
 * A TX buffer across either end of the VM's memory: from 32 to 768 bytes
 * before its end (where h_hdrs() put a frame header the context's policy
 * lets through: the guard must see the rest is not the VM's), or starting
 * before its start.  h_straddle_len(i) bytes.
 */
static uint64_t h_tx_straddle(struct hostile *h, unsigned int i)
{
	if (i % 2)
		return h->s->iova + MEM_SIZE - 32 * (1 + (i / 2) % 24);
	return h->s->iova - h_len(i) / 2;
}

static uint32_t h_straddle_len(unsigned int i)
{
	uint32_t len = h_len(i);

	return len > 32 * 24 ? len : 32 * 24 + 1;
}

/* A frame header from the context's own MAC, at @off of the memory. */
static void h_hdr(struct swc *s, uint32_t off)
{
	uint8_t *f = s->mem + off;

	memset(f, 0xff, 6);
	memcpy(f + 6, s->mac, 6);
	f[12] = HOST_ETHERTYPE >> 8;
	f[13] = HOST_ETHERTYPE & 0xff;
}

/* The headers the TX buffers across the end start with. */
static void h_hdrs(struct hostile *h)
{
	unsigned int k;

	for (k = 1; k <= 24; k++)
		h_hdr(h->s, MEM_SIZE - 32 * k);
	for (k = 0; k < 8; k++)
		h_hdr(h->s, MEM_SIZE - 0x8000 + k * 512);
}

/* @n one-descriptor TX packets of @len(i) bytes at @addr(i). */
static void h_tx_bad(struct hostile *h, unsigned int n,
		     uint64_t (*addr)(struct hostile *, unsigned int),
		     uint32_t (*len)(unsigned int))
{
	unsigned int i, j, k;

	for (i = 0; i < n; i += k) {
		k = umin(64, n - i);
		for (j = 0; j < k; j++)
			h_txd_pkt(h_tx_put(h), addr(h, i + j), len(i + j));
		h_tx_kick(h);
	}
}

/* The queues still work: a frame goes out, a bad RX descriptor comes back. */
static void h_probe(struct hostile *h, const char *after)
{
	long long r0 = led_refused(h), v0 = led_validated(h), r, v;
	const char *cls = h->cls;

	h->cls = "probe";
	h_txd_pkt(h_tx_put(h), h->s->iova + HOST_CTL_BUF, HOST_FRAME);
	h_tx_kick(h);
	h_rx_bad(h, 1, 1, h_outside);
	r = led_refused(h) - r0;
	v = led_validated(h) - v0;
	if (r != 1 || v != 1)
		fail("probe after %s: a good TX frame and a bad RX descriptor gave refused +%lld, validated +%lld (want +1, +1)",
		     after, r, v);
	h->posted += 2;
	h->refused += 1;
	h->validated += 1;
	h->probes++;
	h->cls = cls;
}

/* (Re)program and enable a ring; the guest's cursors start at 0. */
static void h_rx_ring(struct hostile *h, uint64_t base, uint32_t len,
		      uint32_t srrctl)
{
	struct swc *s = h->s;

	wr32(s, CDNA_VF_RXDCTL(0), 0);
	wr32(s, CDNA_VF_RDBAL(0), (uint32_t)base);
	wr32(s, CDNA_VF_RDBAH(0), (uint32_t)(base >> 32));
	wr32(s, CDNA_VF_RDLEN(0), len);
	wr32(s, CDNA_VF_SRRCTL(0), srrctl);
	wr32(s, CDNA_VF_RDH(0), 0);
	wr32(s, CDNA_VF_RDT(0), 0);
	wr32(s, CDNA_VF_RXDCTL(0), HOST_RXDCTL);
	s->rx_tail = s->rx_clean = 0;
}

static void h_tx_ring(struct hostile *h, uint64_t base, uint32_t len)
{
	struct swc *s = h->s;

	wr32(s, CDNA_VF_TXDCTL(0), 0);
	wr32(s, CDNA_VF_TDBAL(0), (uint32_t)base);
	wr32(s, CDNA_VF_TDBAH(0), (uint32_t)(base >> 32));
	wr32(s, CDNA_VF_TDLEN(0), len);
	wr32(s, CDNA_VF_TDWBAL(0), 0);
	wr32(s, CDNA_VF_TDWBAH(0), 0);
	wr32(s, CDNA_VF_TDH(0), 0);
	wr32(s, CDNA_VF_TDT(0), 0);
	wr32(s, CDNA_VF_TXDCTL(0), HOST_TXDCTL);
	s->tx_tail = s->tx_clean = 0;
}

/* Both rings back where they were, empty. */
static void h_rings_restore(struct hostile *h)
{
	struct swc *s = h->s;

	s->rxr = (union cdna_rx_desc *)(s->mem + MEM_RX_RING);
	s->txr = (union cdna_tx_desc *)(s->mem + MEM_TX_RING);
	memset(s->mem + MEM_RX_RING, 0, HOST_RING_BYTES);
	memset(s->mem + MEM_TX_RING, 0, HOST_RING_BYTES);
	h_rx_ring(h, s->iova + MEM_RX_RING, HOST_RING_BYTES, HOST_SRRCTL);
	h_tx_ring(h, s->iova + MEM_TX_RING, HOST_RING_BYTES);
}

static bool rx_live(struct swc *s)
{
	return rd32(s, CDNA_VF_RXDCTL(0)) & CDNA_VF_RXDCTL_ENABLE;
}

static bool tx_live(struct swc *s)
{
	return rd32(s, CDNA_VF_TXDCTL(0)) & CDNA_VF_TXDCTL_ENABLE;
}

static void c_rx_addr(struct hostile *h)
{
	unsigned int n, r = h->rounds;

	h_begin(h, "rx-outside");
	h_rx_bad(h, n = 600 * r, 32, h_outside);
	h_end(h, n, n, 0, "(below, above the VM's memory, low host RAM, 2^47, the MSI doorbell) refused");
	h_probe(h, h->cls);
	h_begin(h, "rx-canary");
	h_rx_bad(h, n = 600 * r, 32, h_canary);
	h_end(h, n, n, 0, "(host physical addresses of the canary pages) refused");
	h_probe(h, h->cls);
	h_begin(h, "rx-straddle");
	h_rx_bad(h, n = 400 * r, 32, h_straddle);
	h_end(h, n, n, 0, "(2 KiB buffers across either end of the memory) refused");
	h_probe(h, h->cls);
	h_begin(h, "rx-wrap");
	h_rx_bad(h, n = 200 * r, 32, h_wrap);
	h_end(h, n, n, 0, "(address 0, buffers wrapping 2^64) refused");
	h_probe(h, h->cls);
}

/* The tail jumping by count - 1 a doorbell: the ring wraps every time. */
static void c_rx_ring_wrap(struct hostile *h)
{
	unsigned int n = (RING_COUNT - 1) * 8 * h->rounds;

	h_begin(h, "rx-ring-wrap");
	h_rx_bad(h, n, RING_COUNT - 1, h_mix);
	h_end(h, n, n, 0, "(255 a doorbell, the ring wrapping each time) refused");
	h_probe(h, h->cls);
}

static void c_tail_beyond(struct hostile *h)
{
	static const uint32_t bad[] = {
		RING_COUNT, RING_COUNT + 1, 511, 4096, 0xffff, 0x10000,
		0x7fffffff, 0xffffffff,
	};
	struct swc *s = h->s;
	uint32_t rh = rd32(s, CDNA_VF_RDH(0)), th = rd32(s, CDNA_VF_TDH(0));
	unsigned int i;

	h_begin(h, "tail-beyond");
	for (i = 0; i < 8 * ARRAY_SIZE(bad); i++) {
		wr32(s, CDNA_VF_RDT(0), bad[i % ARRAY_SIZE(bad)]);
		wr32(s, CDNA_VF_TDT(0), bad[i % ARRAY_SIZE(bad)]);
	}
	if (rd32(s, CDNA_VF_RDH(0)) != rh || rd32(s, CDNA_VF_TDH(0)) != th)
		fail("%s: heads moved (RDH %u -> %u, TDH %u -> %u)", h->cls, rh,
		     rd32(s, CDNA_VF_RDH(0)), th, rd32(s, CDNA_VF_TDH(0)));
	if (!rx_live(s) || !tx_live(s))
		fail("%s: a queue stopped (RXDCTL 0x%08x TXDCTL 0x%08x)", h->cls,
		     rd32(s, CDNA_VF_RXDCTL(0)), rd32(s, CDNA_VF_TXDCTL(0)));
	/* The next tail within the ring counts from where the guard was. */
	h_rx_bad(h, 1, 1, h_canary);
	h_txd_pkt(h_tx_put(h), h_canary(h, 1), 100);
	h_tx_kick(h);
	h_end(h, 2, 2, 0, "(128 RDT/TDT writes at or past the ring's length) ignored, the next tail taken");
	h_probe(h, h->cls);
}

/*
 * With nothing outstanding, a tail moved back by k announces count - k
 * new descriptors (the hardware's rule): every slot holds a bad one.
 */
static void c_rx_tail_back(struct hostile *h)
{
	static const unsigned int back[] = { 1, 5, 100 };
	struct swc *s = h->s;
	unsigned int i, j, n = 0;
	uint32_t t;

	h_begin(h, "rx-tail-back");
	for (i = 0; i < ARRAY_SIZE(back) * h->rounds; i++) {
		for (j = 0; j < RING_COUNT; j++)
			cdna_rx_desc_post(&s->rxr[j], h_canary(h, j + i));
		t = (s->rx_tail + RING_COUNT - back[i % ARRAY_SIZE(back)]) % RING_COUNT;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr32(s, CDNA_VF_RDT(0), t);
		if (!h_head_is(h, CDNA_VF_RDH(0), t, 2000))
			fail("%s: RDH %u, tail %u after moving it back by %u",
			     h->cls, rd32(s, CDNA_VF_RDH(0)), t,
			     back[i % ARRAY_SIZE(back)]);
		n += RING_COUNT - back[i % ARRAY_SIZE(back)];
		s->rx_tail = s->rx_clean = t;
	}
	h_end(h, n, n, 0, "(RDT moved back by 1, 5, 100: count - k descriptors, all bad) refused");
	h_probe(h, h->cls);
}

static void c_head_write(struct hostile *h)
{
	struct swc *s = h->s;
	uint32_t rh = rd32(s, CDNA_VF_RDH(0)), th = rd32(s, CDNA_VF_TDH(0));
	unsigned int i;

	h_begin(h, "head-write");
	for (i = 0; i < 64; i++) {
		wr32(s, CDNA_VF_RDH(0), (rh + 1 + i * 7) % RING_COUNT);
		wr32(s, CDNA_VF_TDH(0), (th + 1 + i * 13) % RING_COUNT);
	}
	wr32(s, CDNA_VF_RDH(0), 0xffffffff);
	wr32(s, CDNA_VF_TDH(0), 0xffffffff);
	if (rd32(s, CDNA_VF_RDH(0)) != rh || rd32(s, CDNA_VF_TDH(0)) != th)
		fail("%s: RDH %u -> %u, TDH %u -> %u: a head write took", h->cls,
		     rh, rd32(s, CDNA_VF_RDH(0)), th, rd32(s, CDNA_VF_TDH(0)));
	h_rx_bad(h, 1, 1, h_outside);
	h_txd_pkt(h_tx_put(h), h_outside(h, 2), 100);
	h_tx_kick(h);
	h_end(h, 2, 2, 0, "(130 RDH/TDH writes) ignored, the heads are the guard's");
	h_probe(h, h->cls);
}

struct h_geom {
	const char *what;
	uint64_t base;
	uint32_t len, srrctl;
	bool enables;	/* the geometry is taken; the first tail stops it */
};

/*
 * Rings the guard cannot shadow: refused when enabled (the queue reads
 * disabled), or taken and stopped at the first tail, when the ring
 * cannot be read.  Nothing is validated or refused: no descriptor of
 * such a ring is ever read.  Last, a TX head write-back into a canary
 * page stops the TX queue at the first completion.
 */
static void c_ring_base(struct hostile *h)
{
	struct swc *s = h->s;
	uint64_t end = s->iova + MEM_SIZE;
	const struct h_geom g[] = {
		{ "unmapped", end + 0x100000, HOST_RING_BYTES, HOST_SRRCTL, true },
		{ "canary", h->canary[0], HOST_RING_BYTES, HOST_SRRCTL, true },
		{ "low RAM", 0x10000, HOST_RING_BYTES, HOST_SRRCTL, true },
		{ "MSI doorbell", 0xfee00000, HOST_RING_BYTES, HOST_SRRCTL, true },
		{ "across the end", end - 0x800, HOST_RING_BYTES, HOST_SRRCTL, true },
		{ "zero", 0, HOST_RING_BYTES, HOST_SRRCTL, false },
		{ "misaligned", s->iova + 8, HOST_RING_BYTES, HOST_SRRCTL, false },
		{ "length 0", s->iova, 0, HOST_SRRCTL, false },
		{ "length 100", s->iova, 100, HOST_SRRCTL, false },
		{ "4104 descriptors", s->iova, 4104 * CDNA_DESC_SIZE, HOST_SRRCTL, false },
		{ "wrapping 2^64", 0ull - 0x800, HOST_RING_BYTES, HOST_SRRCTL, false },
		{ "buffer size 0", s->iova, HOST_RING_BYTES,
		  HOST_SRRCTL & ~CDNA_VF_SRRCTL_BSIZEPKT, false },
		{ "buffer size 127 KiB", s->iova, HOST_RING_BYTES,
		  HOST_SRRCTL | CDNA_VF_SRRCTL_BSIZEPKT, false },
		{ "descriptor type 7", s->iova, HOST_RING_BYTES,
		  HOST_SRRCTL | CDNA_VF_SRRCTL_DESCTYPE, false },
	};
	unsigned int i, setups = 0;
	bool live;

	h_begin(h, "ring-base");
	for (i = 0; i < ARRAY_SIZE(g); i++) {
		/* RX */
		h_rx_ring(h, g[i].base, g[i].len, g[i].srrctl);
		live = rx_live(s);
		if (live != g[i].enables)
			fail("%s: RX ring %s (0x%" PRIx64 ", %u bytes, SRRCTL 0x%x): %s",
			     h->cls, g[i].what, g[i].base, g[i].len, g[i].srrctl,
			     live ? "enabled" : "refused");
		if (live) {
			wr32(s, CDNA_VF_RDT(0), 200);
			if (rx_live(s))
				fail("%s: RX ring %s still enabled after a tail write",
				     h->cls, g[i].what);
		}
		setups++;
		if (g[i].srrctl != HOST_SRRCTL)
			continue;
		/* TX */
		h_tx_ring(h, g[i].base, g[i].len);
		live = tx_live(s);
		if (live != g[i].enables)
			fail("%s: TX ring %s (0x%" PRIx64 ", %u bytes): %s", h->cls,
			     g[i].what, g[i].base, g[i].len,
			     live ? "enabled" : "refused");
		if (live) {
			wr32(s, CDNA_VF_TDT(0), 200);
			if (tx_live(s))
				fail("%s: TX ring %s still enabled after a tail write",
				     h->cls, g[i].what);
		}
		setups++;
	}
	h_rings_restore(h);
	/* TX head write-back (TDWBAL) into a canary page. */
	wr32(s, CDNA_VF_TDWBAH(0), (uint32_t)(h->canary[1 % h->ncanary] >> 32));
	wr32(s, CDNA_VF_TDWBAL(0), (uint32_t)h->canary[1 % h->ncanary] |
				   CDNA_VF_TDWBAL_ENABLE);
	h_txd_pkt(h_tx_put(h), s->iova + HOST_CTL_BUF, HOST_FRAME);
	h->good++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, CDNA_VF_TDT(0), s->tx_tail);
	sleep_ms(200);
	if (tx_live(s))
		fail("%s: TX queue still enabled after a head write-back to a canary page",
		     h->cls);
	setups++;
	h_rings_restore(h);
	note("ring-base: %u ring setups", setups);
	h_end(h, 1, 0, 1, "(rings outside the memory, on canaries, bad geometry; head write-back to a canary) refused or stopped, never read");
	h_probe(h, h->cls);
}

/*
 * Ring registers written while the queue runs are ignored (as on the
 * NIC): descriptors still come from the old ring.  Disabling with
 * buffers in flight drops them (nothing stays pinned), and the ring can
 * then be re-based.
 */
static void c_rebase(struct hostile *h)
{
	struct swc *s = h->s;
	uint32_t bal = rd32(s, CDNA_VF_RDBAL(0)), len = rd32(s, CDNA_VF_RDLEN(0));
	uint32_t tbal = rd32(s, CDNA_VF_TDBAL(0)), tlen = rd32(s, CDNA_VF_TDLEN(0));
	long long r0, pinned;
	unsigned int j;

	h_begin(h, "ring-rebase-inflight");
	for (j = 0; j < 8; j++)
		rx_post_slot(s, (s->rx_tail + j) % RING_COUNT);
	s->rx_tail = (s->rx_tail + 8) % RING_COUNT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, CDNA_VF_RDT(0), s->rx_tail);
	wr32(s, CDNA_VF_RDBAL(0), (uint32_t)h->canary[0]);
	wr32(s, CDNA_VF_RDBAH(0), (uint32_t)(h->canary[0] >> 32));
	wr32(s, CDNA_VF_RDLEN(0), 4096 * CDNA_DESC_SIZE);
	wr32(s, CDNA_VF_SRRCTL(0), HOST_SRRCTL | CDNA_VF_SRRCTL_BSIZEPKT);
	wr32(s, CDNA_VF_TDBAL(0), (uint32_t)h->canary[0]);
	wr32(s, CDNA_VF_TDBAH(0), (uint32_t)(h->canary[0] >> 32));
	wr32(s, CDNA_VF_TDLEN(0), 4096 * CDNA_DESC_SIZE);
	if (rd32(s, CDNA_VF_RDBAL(0)) != bal || rd32(s, CDNA_VF_RDLEN(0)) != len ||
	    rd32(s, CDNA_VF_RDBAH(0)) != (uint32_t)(s->iova >> 32) ||
	    rd32(s, CDNA_VF_SRRCTL(0)) != HOST_SRRCTL ||
	    rd32(s, CDNA_VF_TDBAL(0)) != tbal || rd32(s, CDNA_VF_TDLEN(0)) != tlen)
		fail("%s: ring registers written while the queues run took: RDBAL 0x%08x RDLEN %u SRRCTL 0x%08x TDBAL 0x%08x TDLEN %u",
		     h->cls, rd32(s, CDNA_VF_RDBAL(0)), rd32(s, CDNA_VF_RDLEN(0)),
		     rd32(s, CDNA_VF_SRRCTL(0)), rd32(s, CDNA_VF_TDBAL(0)),
		     rd32(s, CDNA_VF_TDLEN(0)));
	/* Bad ones behind the buffers in flight: refused, from the old ring. */
	r0 = led_refused(h);
	for (j = 0; j < 50; j++)
		cdna_rx_desc_post(&s->rxr[(s->rx_tail + j) % RING_COUNT],
				  h_canary(h, j));
	s->rx_tail = (s->rx_tail + 50) % RING_COUNT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, CDNA_VF_RDT(0), s->rx_tail);
	if (led_refused(h) - r0 != 50)
		fail("%s: 50 bad descriptors behind buffers in flight: refused +%lld",
		     h->cls, led_refused(h) - r0);
	/* Disabled with buffers in flight: dropped, unpinned; re-based. */
	wr32(s, CDNA_VF_RXDCTL(0), 0);
	pinned = ledger_read(h->uuid, CDNA_LEDGER_PINNED_PAGES);
	if (pinned > 0 && !strcmp(h->strategy, CDNA_STRATEGY_PER_DESC))
		fail("%s: pinned_pages=%lld after the RX queue was disabled",
		     h->cls, pinned);
	memset(s->mem + HOST_ALT_RING, 0, HOST_RING_BYTES);
	s->rxr = (union cdna_rx_desc *)(s->mem + HOST_ALT_RING);
	h_rx_ring(h, s->iova + HOST_ALT_RING, HOST_RING_BYTES, HOST_SRRCTL);
	if (rd32(s, CDNA_VF_RDBAL(0)) != (uint32_t)(s->iova + HOST_ALT_RING) ||
	    !rx_live(s))
		fail("%s: the disabled RX ring could not be re-based (RDBAL 0x%08x RXDCTL 0x%08x)",
		     h->cls, rd32(s, CDNA_VF_RDBAL(0)), rd32(s, CDNA_VF_RXDCTL(0)));
	h_rx_bad(h, 20, 20, h_canary);
	h_rings_restore(h);
	h_end(h, 8 + 50 + 20, 70, 8, "(ring registers written in flight ignored; a disabled ring re-based, its buffers unpinned) as designed");
	h_probe(h, h->cls);
}

static void c_tx_addr(struct hostile *h)
{
	unsigned int n, i, r = h->rounds;

	h_begin(h, "tx-outside");
	h_tx_bad(h, n = 400 * r, h_outside, h_len);
	h_end(h, n, n, 0, "refused, not sent");
	h_probe(h, h->cls);
	h_begin(h, "tx-canary");
	h_tx_bad(h, n = 600 * r, h_canary, h_len);
	h_end(h, n, n, 0, "refused, not sent");
	h_probe(h, h->cls);
	/* Across the ends; then packets whose good first part is followed
	 * by a bad one: the whole packet refused. */
	h_begin(h, "tx-straddle");
	h_hdrs(h);
	h_tx_bad(h, n = 200 * r, h_tx_straddle, h_straddle_len);
	for (i = 0; i < 100 * r; i++) {
		h_txd(h_tx_put(h), s_iova_ref(h), 100, 0,
		      FIELD_PREP(CDNA_TXD_PAYLEN, 100 + h_len(i)));
		h_txd(h_tx_put(h), i % 2 ? h_canary(h, i) : h_tx_straddle(h, i),
		      h_straddle_len(i), CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS, 0);
		if (i % 32 == 31)
			h_tx_kick(h);
	}
	h_tx_kick(h);
	n += 200 * r;
	h_end(h, n, n, 0, "(across either end; a good buffer then a bad one in one packet) refused, not sent");
	h_probe(h, h->cls);
}

static void c_tx_len(struct hostile *h)
{
	struct swc *s = h->s;
	unsigned int i, n = 100 * h->rounds;

	h_begin(h, "tx-length");
	h_hdrs(h);
	for (i = 0; i < 4 * n; i++) {
		union cdna_tx_desc *d = h_tx_put(h);

		switch (i % 4) {
		case 0:	/* DTALEN 0, a good buffer */
			h_txd_pkt(d, s_iova_ref(h), 0);
			break;
		case 1:	/* 64 KiB - 1 from near the end */
			h_txd_pkt(d, s->iova + MEM_SIZE - 0x8000 + (i % 8) * 512, 65535);
			break;
		case 2:	/* 64 KiB - 1 wrapping 2^64 */
			h_txd_pkt(d, 0ull - 0x100 - (i % 16) * 64, 65535);
			break;
		default:	/* 64 KiB - 1 over the canaries */
			h_txd_pkt(d, h_canary(h, i), 65535);
			break;
		}
		if (i % 64 == 63)
			h_tx_kick(h);
	}
	h_tx_kick(h);
	h_end(h, 4 * n, 4 * n, 0, "(DTALEN 0; 65535 across the end, wrapping 2^64, over canaries) refused, not sent");
	h_probe(h, h->cls);
}

/*
 * Descriptors a VF may not post, each over a buffer in the VM's memory
 * holding a frame that must never be sent: no DEXT (legacy), reserved
 * DTYPs, reserved command bits, a context slot the NIC does not have,
 * TSO without a context, with a bad one, and mixed in a packet.
 */
static void c_tx_type(struct hostile *h)
{
	static const unsigned int rsvd[] = { 16, 17, 18, 19, 26, 28 };
	uint64_t ref = s_iova_ref(h);
	unsigned int i, j, n = 0, r;
	uint32_t pl = FIELD_PREP(CDNA_TXD_PAYLEN, HOST_FRAME);
	uint32_t macip = FIELD_PREP(CDNA_TXC_MACLEN, 14) | FIELD_PREP(CDNA_TXC_IPLEN, 20);
	union cdna_tx_desc *d;

	h_begin(h, "tx-type-cmd");
	for (r = 0; r < h->rounds; r++) {
		for (i = 0; i < 50; i++) {	/* legacy */
			d = h_tx_put(h);
			d->read.buffer_addr = htole64(ref);
			d->read.cmd_type_len = htole32(HOST_FRAME | CDNA_TXD_CMD_EOP |
						       CDNA_TXD_CMD_RS | CDNA_TXD_CMD_IFCS);
			n++;
		}
		h_tx_kick(h);
		for (i = 0; i < 16; i++) {	/* DTYP other than 2 and 3 */
			if (i == CDNA_TXD_DTYP_CTXT || i == CDNA_TXD_DTYP_DATA)
				continue;
			for (j = 0; j < 4; j++, n++) {
				d = h_tx_put(h);
				h_txd_pkt(d, ref, HOST_FRAME);
				d->read.cmd_type_len = htole32((le32toh(d->read.cmd_type_len) &
								~CDNA_TXD_DTYP) |
							       FIELD_PREP(CDNA_TXD_DTYP, i));
			}
		}
		h_tx_kick(h);
		for (i = 0; i < ARRAY_SIZE(rsvd); i++)	/* reserved bits */
			for (j = 0; j < 10; j++, n++)
				h_txd(h_tx_put(h), ref, HOST_FRAME,
				      CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS | BIT(rsvd[i]), pl);
		h_tx_kick(h);
		for (i = 2; i < 8; i++)		/* context slot 2..7 */
			for (j = 0; j < 10; j++, n++)
				h_txd(h_tx_put(h), ref, HOST_FRAME,
				      CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS,
				      pl | FIELD_PREP(CDNA_TXD_IDX, i));
		h_tx_kick(h);
		for (i = 2; i < 8; i++) {	/* a context descriptor for 2..7 */
			for (j = 0; j < 10; j++, n += 2) {
				h_txc(h_tx_put(h), i, macip, 0);
				h_txd_pkt(h_tx_put(h), ref, HOST_FRAME);
			}
		}
		h_tx_kick(h);
		for (i = 0; i < 50; i++, n++)	/* TSO, no context set */
			h_txd(h_tx_put(h), ref, HOST_FRAME,
			      CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS | CDNA_TXD_CMD_TSE,
			      FIELD_PREP(CDNA_TXD_PAYLEN, HOST_FRAME - 54));
		h_tx_kick(h);
		for (i = 0; i < 25; i++, n += 2) {	/* TSO with MSS 1 */
			h_txc(h_tx_put(h), 0, macip,
			      FIELD_PREP(CDNA_TXC_MSS, 1) | FIELD_PREP(CDNA_TXC_L4LEN, 20));
			h_txd(h_tx_put(h), ref, HOST_FRAME,
			      CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS | CDNA_TXD_CMD_TSE,
			      FIELD_PREP(CDNA_TXD_PAYLEN, HOST_FRAME - 54));
		}
		h_tx_kick(h);
		for (i = 0; i < 25; i++, n += 2) {	/* TSE on the second only */
			h_txd(h_tx_put(h), ref, 128, 0, pl);
			h_txd(h_tx_put(h), ref + 128, 128,
			      CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS | CDNA_TXD_CMD_TSE, 0);
		}
		h_tx_kick(h);
	}
	h_end(h, n, n, 0, "(legacy, DTYP 0,1,4-15, reserved bits 16-19,26,28, IDX 2-7, TSO without or with a bad context, mixed TSE) refused, not sent");
	h_probe(h, h->cls);
}

/*
 * Context descriptors alone: 64 in a row are a packet too long, refused
 * with the data descriptor that ends it; a few pending wait for their
 * packet's end, and a tail moved back over them is refused (ENOSPC),
 * as are ring registers rewritten meanwhile; a bad data descriptor then
 * ends the packet, refused whole.  A packet of 65 data descriptors is
 * too long too.
 */
static void c_tx_ctx(struct hostile *h)
{
	struct swc *s = h->s;
	uint32_t macip = FIELD_PREP(CDNA_TXC_MACLEN, 14) | FIELD_PREP(CDNA_TXC_IPLEN, 20);
	uint32_t th, tbal = rd32(s, CDNA_VF_TDBAL(0));
	long long r0, v0;
	unsigned int i, j, k, n = 0;

	h_begin(h, "tx-ctx-alone");
	for (i = 0; i < 3 * h->rounds; i++) {
		for (j = 0; j < 64; j++, n++)
			h_txc(h_tx_put(h), j % 2, macip, 0);
		h_txd_pkt(h_tx_put(h), s_iova_ref(h), HOST_FRAME);
		n++;
		h_tx_kick(h);
	}
	for (i = 0; i < 20 * h->rounds; i++) {
		for (j = 0; j < 10; j++, n++)
			h_txc(h_tx_put(h), j % 2, macip, 0);
		th = rd32(s, CDNA_VF_TDH(0));
		r0 = led_refused(h);
		v0 = led_validated(h);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr32(s, CDNA_VF_TDT(0), s->tx_tail);
		if (i == 0)
			sleep_ms(100);
		for (k = 1; k <= 10; k++)
			wr32(s, CDNA_VF_TDT(0), (s->tx_tail + RING_COUNT - k) % RING_COUNT);
		wr32(s, CDNA_VF_TDBAL(0), (uint32_t)h->canary[0]);
		wr32(s, CDNA_VF_TDLEN(0), 4096 * CDNA_DESC_SIZE);
		if (rd32(s, CDNA_VF_TDH(0)) != th || led_refused(h) != r0 ||
		    led_validated(h) != v0 || rd32(s, CDNA_VF_TDBAL(0)) != tbal)
			fail("%s: 10 pending context descriptors, tail moved back: TDH %u -> %u, refused +%lld, validated +%lld, TDBAL 0x%08x",
			     h->cls, th, rd32(s, CDNA_VF_TDH(0)),
			     led_refused(h) - r0, led_validated(h) - v0,
			     rd32(s, CDNA_VF_TDBAL(0)));
		h_txd_pkt(h_tx_put(h), h_canary(h, i), HOST_FRAME);
		n++;
		h_tx_kick(h);
	}
	for (i = 0; i < 2 * h->rounds; i++) {
		for (j = 0; j < 64; j++, n++)
			h_txd(h_tx_put(h), s_iova_ref(h) + (j % 4) * 64, 64, 0,
			      FIELD_PREP(CDNA_TXD_PAYLEN, 65 * 64));
		h_txd_pkt(h_tx_put(h), s_iova_ref(h), 64);
		n++;
		h_tx_kick(h);
	}
	h_end(h, n, n, 0, "(64 context descriptors in a row; 10 pending with the tail moved back over them and TDBAL rewritten, then a bad end; 65 data descriptors) refused, not sent");
	h_probe(h, h->cls);
}

/* A thread rewriting the addresses of every ring slot, good and bad. */
struct h_race {
	struct hostile *h;
	bool rx;
	volatile int stop;
	unsigned long sweeps;
};

static void *h_race_thread(void *arg)
{
	struct h_race *r = arg;
	struct hostile *h = r->h;
	struct swc *s = h->s;
	unsigned int i, sweep = 0;
	uint64_t a;

	while (!r->stop) {
		for (i = 0; i < RING_COUNT; i++) {
			if ((sweep + i) % 2 == 0)
				a = r->rx ? s->iova + rx_buf_off(s, i) :
					    s->iova + HOST_CTL_BUF;
			else if (sweep % 4 == 1)
				a = h_canary(h, i + sweep);
			else
				a = h_outside(h, i + sweep);
			if (r->rx)
				__atomic_store_n(&s->rxr[i].read.pkt_addr,
						 htole64(a), __ATOMIC_RELAXED);
			else
				__atomic_store_n(&s->txr[i].read.buffer_addr,
						 htole64(a), __ATOMIC_RELAXED);
		}
		sweep++;
	}
	r->sweeps = sweep;
	return NULL;
}

/*
 * Tail writes as fast as they go, one packet each, while the thread
 * rewrites the descriptors' addresses under the guard's copy: each
 * descriptor is either validated or refused, once; no canary byte leaves.
 */
static void c_tx_race(struct hostile *h)
{
	struct h_race r = { .h = h, .rx = false };
	struct swc *s = h->s;
	unsigned int i, n = 2000 * h->rounds, bad = 0;
	uint32_t head;
	pthread_t t;

	h_begin(h, "tx-race");
	/* No slot may keep an address of an earlier class's until swept. */
	for (i = 0; i < RING_COUNT; i++)
		s->txr[i].read.buffer_addr = htole64(s->iova + HOST_CTL_BUF);
	if (pthread_create(&t, NULL, h_race_thread, &r)) {
		fail("pthread_create: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		union cdna_tx_desc *d = &s->txr[s->tx_tail];

		d->read.cmd_type_len =
			htole32(FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA) |
				CDNA_TXD_CMD_DEXT | CDNA_TXD_CMD_IFCS |
				CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS | HOST_FRAME);
		d->read.olinfo_status = htole32(FIELD_PREP(CDNA_TXD_PAYLEN, HOST_FRAME));
		s->tx_tail = (s->tx_tail + 1) % RING_COUNT;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr32(s, CDNA_VF_TDT(0), s->tx_tail);
		/* Reclaim only when the ring is half full: completions race. */
		if ((s->tx_tail + RING_COUNT - s->tx_clean) % RING_COUNT > 128) {
			uint64_t deadline = now_ms() + 2000;

			do
				head = rd32(s, CDNA_VF_TDH(0));
			while ((s->tx_tail + RING_COUNT - head) % RING_COUNT > 64 &&
			       now_ms() < deadline);
			bad += h_tx_no_dd(h, head);
		}
	}
	if (!h_head_is(h, CDNA_VF_TDH(0), s->tx_tail, 3000))
		fail("%s: TDH %u, tail %u after the race", h->cls,
		     rd32(s, CDNA_VF_TDH(0)), s->tx_tail);
	r.stop = 1;
	pthread_join(t, NULL);
	bad += h_tx_no_dd(h, rd32(s, CDNA_VF_TDH(0)));
	if (bad)
		fail("%s: %u TX descriptors with RS completed without DD", h->cls, bad);
	h->good = n;
	note("tx-race: %lu sweeps of the ring by the racing thread", r.sweeps);
	h_rings_restore(h);
	h_end(h, n, -1, -1, "(one tail write a packet, addresses rewritten under the copy) each refused or validated once");
	h_probe(h, h->cls);
}

/*
 * The same on RX, with frames arriving: validated buffers wait for them,
 * so every 128 descriptors the queue is disabled (dropping what is in
 * flight) and enabled again.
 */
static void c_rx_race(struct hostile *h)
{
	struct h_race r = { .h = h, .rx = true };
	struct swc *s = h->s;
	unsigned int i, n = 3200 * h->rounds, enables = 0;
	pthread_t t;

	h_begin(h, "rx-race");
	for (i = 0; i < RING_COUNT; i++)
		rx_post_slot(s, i);
	if (pthread_create(&t, NULL, h_race_thread, &r)) {
		fail("pthread_create: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		s->rx_tail = (s->rx_tail + 1) % RING_COUNT;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr32(s, CDNA_VF_RDT(0), s->rx_tail);
		if (i % 128 == 127) {
			h_rx_ring(h, s->iova + MEM_RX_RING, HOST_RING_BYTES, HOST_SRRCTL);
			enables++;
		}
		irq_wait(s, 0);
	}
	r.stop = 1;
	pthread_join(t, NULL);
	note("rx-race: %lu sweeps of the ring by the racing thread, %u re-enables",
	     r.sweeps, enables);
	h_rings_restore(h);
	h_end(h, n, -1, -1, "(one tail write a descriptor, addresses rewritten under the copy, frames arriving) each refused or validated once");
	h_probe(h, h->cls);
}

static int h_canaries(struct hostile *h, const char *file)
{
	char line[64];
	FILE *f = fopen(file, "r");
	unsigned int i;

	if (!f) {
		fail("%s: %s", file, strerror(errno));
		return -1;
	}
	while (h->ncanary < HOST_MAX_CANARY && fgets(line, sizeof(line), f))
		h->canary[h->ncanary++] = strtoull(line, NULL, 0);
	fclose(f);
	if (!h->ncanary) {
		fail("%s: no canary addresses", file);
		return -1;
	}
	for (i = 0; i < h->ncanary; i++) {
		if (h->canary[i] + PAGE > h->s->iova &&
		    h->canary[i] < h->s->iova + MEM_SIZE) {
			fail("canary 0x%" PRIx64 " lies in the VM's IOVA window: give an --iova above the host's RAM",
			     h->canary[i]);
			return -1;
		}
	}
	return 0;
}

/* A broadcast frame of @marker records, at @off of the memory. */
static void h_frame(struct swc *s, uint32_t off, const char *marker)
{
	uint8_t *f = s->mem + off;
	uint32_t i;

	memset(f, 0xff, 6);
	memcpy(f + 6, s->mac, 6);
	f[12] = HOST_ETHERTYPE >> 8;
	f[13] = HOST_ETHERTYPE & 0xff;
	for (i = ETH_HLEN; i + 16 <= PAGE; i += 16)
		memcpy(f + i, marker, 16);
}

/* A string file of the context's ledger, newline stripped ("" if none). */
static void ledger_str(const char *uuid, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/../%s/%s",
		 uuid, CDNA_LEDGER_DIR, name);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static int cmd_hostile(const char *uuid, const struct opts *o)
{
	static struct hostile h;
	uint64_t t0;
	struct swc s;

	if (!o->canary) {
		fprintf(stderr, "hostile: --canary FILE is required\n");
		return 2;
	}
	if (swc_open(&s, uuid, o->iova))
		return 1;
	memset(&h, 0, sizeof(h));
	h.s = &s;
	h.uuid = uuid;
	h.rounds = o->rounds ? o->rounds : 1;
	ledger_str(uuid, CDNA_LEDGER_STRATEGY, h.strategy, sizeof(h.strategy));
	if (h_canaries(&h, o->canary))
		goto out;
	if (bring_up_rx(&s, o, false))
		goto out;
	h_frame(&s, HOST_CTL_BUF, "cdna-canary-ctl!");
	h_frame(&s, HOST_REF_BUF, "cdna-canary-ref!");
	note("ready: mac=%s iova=0x%" PRIx64 " canaries=%u strategy=%s descriptors_refused=%lld",
	     mac_str(s.mac), s.iova, h.ncanary, h.strategy, led_refused(&h));
	t0 = now_ms();
	h_probe(&h, "bring-up");
	c_rx_addr(&h);
	c_rx_ring_wrap(&h);
	c_tail_beyond(&h);
	c_rx_tail_back(&h);
	c_head_write(&h);
	c_ring_base(&h);
	c_rebase(&h);
	c_tx_addr(&h);
	c_tx_len(&h);
	c_tx_type(&h);
	c_tx_ctx(&h);
	c_tx_race(&h);
	c_rx_race(&h);
	note("hostile: descriptors=%llu refused=%llu policy=%llu validated=%llu classes=%u failed=%u probes=%u ms=%" PRIu64,
	     h.posted, h.refused, h.policy, h.validated, h.classes, h.classes_bad,
	     h.probes, now_ms() - t0);
	bring_down(&s);
	stats_line(&s, "summary");
out:
	swc_close(&s);
	return nfail ? 1 : 0;
}

/*
 * sw-client irq-storm UUID --seconds N --dst MAC [--ip A.B.C.D]
 *                     [--control | --mode-file FILE]:
 * a guest that makes its context interrupt as fast as it can for N
 * seconds: a thread writes EICS (every vector, EIAC set: each write
 * signals the eventfds) in a tight loop, EITR is 0 on every vector, and
 * the main thread sends one frame to MAC at a time, waiting for its
 * completion (one TX interrupt a frame), and takes whatever arrives (one
 * RX interrupt a frame at EITR 0).  --control: the thread writes a
 * register that raises nothing (IVAR_MISC, its own value) instead: the
 * same traps, no interrupts.  --mode-file: the mode ("storm", "control"
 * or "quiet": no writes, no frames sent, what arrives still taken) is
 * what FILE says, read every 100 ms, so that phases can alternate under
 * one process.  An "irq-storm:" line at the end for each mode run has its
 * counts and the process's own CPU time in it (all its threads).
 */
enum storm_mode { STORM_QUIET, STORM_CONTROL, STORM_STORM, STORM_NR };

static const char *const storm_names[STORM_NR] = { "quiet", "control", "storm" };

struct storm {
	struct swc *s;
	volatile int mode;
	volatile int stop;
	unsigned long long writes[STORM_NR];
};

static void *storm_thread(void *arg)
{
	struct storm *st = arg;
	struct swc *s = st->s;
	uint32_t misc = rd32(s, CDNA_VF_IVAR_MISC);
	int m;

	while (!st->stop && !stop) {
		m = st->mode;
		if (m == STORM_CONTROL)
			wr32(s, CDNA_VF_IVAR_MISC, misc);
		else if (m == STORM_STORM)
			wr32(s, CDNA_VF_EICS, VEC_ALL);
		else
			sleep_ms(5);
		if (m != STORM_QUIET)
			st->writes[m]++;
	}
	return NULL;
}

static uint64_t cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000ull +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static int storm_mode_read(const char *file, int cur)
{
	char buf[16] = "";
	FILE *f = fopen(file, "r");
	int m;

	if (!f)
		return cur;
	if (fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	for (m = 0; m < STORM_NR; m++)
		if (!strcmp(buf, storm_names[m]))
			return m;
	return cur;
}

static int cmd_irq_storm(const char *uuid, const struct opts *o)
{
	struct storm st = { .mode = o->control ? STORM_CONTROL : STORM_STORM };
	uint8_t frame[MAX_FRAME + 2] = { 0 };
	uint64_t end, now, t_mode, next_read, deadline, c_mode;
	uint64_t ms[STORM_NR] = { 0 }, cpu[STORM_NR] = { 0 };
	uint64_t irq[STORM_NR][CDNA_VF_NUM_MSIX] = { { 0 } }, irq0[CDNA_VF_NUM_MSIX];
	uint64_t rx[STORM_NR] = { 0 }, rx0;
	unsigned int v, frames[STORM_NR] = { 0 }, seq = 0;
	bool used[STORM_NR] = { false };
	uint32_t len;
	struct swc s;
	pthread_t t;
	int m;

	if (!o->have_dst_mac || !o->seconds) {
		fprintf(stderr, "irq-storm: --dst MAC and --seconds N are required\n");
		return 2;
	}
	if (swc_open(&s, uuid, o->iova))
		return 1;
	st.s = &s;
	if (bring_up(&s, o))
		goto out;
	for (v = 0; v < CDNA_VF_NUM_MSIX; v++)
		wr32(&s, CDNA_VF_EITR(v), 0);
	wr32(&s, CDNA_VF_EIAC, VEC_ALL);
	wr32(&s, CDNA_VF_EIAM, 0);
	wr32(&s, CDNA_VF_EIMS, VEC_ALL);
	if (o->mode_file)
		st.mode = storm_mode_read(o->mode_file, STORM_QUIET);
	note("ready: mac=%s mode %s for %u s%s%s", mac_str(s.mac),
	     storm_names[st.mode], o->seconds, o->mode_file ? ", from " : "",
	     o->mode_file ? o->mode_file : "");
	if (pthread_create(&t, NULL, storm_thread, &st)) {
		fail("pthread_create: %s", strerror(errno));
		goto out;
	}
	now = now_ms();
	end = now + o->seconds * 1000ull;
	t_mode = now;
	next_read = now + 100;
	c_mode = cpu_ms();
	memcpy(irq0, s.st.irq, sizeof(irq0));
	rx0 = s.st.rx;
	m = st.mode;
	for (;;) {
		int nm = m;

		now = now_ms();
		if (o->mode_file && now >= next_read) {
			nm = storm_mode_read(o->mode_file, m);
			next_read = now + 100;
		}
		if (nm != m || now >= end || stop) {
			/* The mode's share of time, CPU and events. */
			ms[m] += now - t_mode;
			cpu[m] += cpu_ms() - c_mode;
			for (v = 0; v < CDNA_VF_NUM_MSIX; v++)
				irq[m][v] += s.st.irq[v] - irq0[v];
			rx[m] += s.st.rx - rx0;
			used[m] = true;
			t_mode = now;
			c_mode = cpu_ms();
			memcpy(irq0, s.st.irq, sizeof(irq0));
			rx0 = s.st.rx;
			m = st.mode = nm;
		}
		if (now >= end || stop)
			break;
		if (m == STORM_QUIET) {
			irq_wait(&s, 10);
			rx_clean(&s, false);
			continue;
		}
		len = udp_frame(frame, o->dst_mac, s.mac, o->ip, o->dst_ip, 18,
				seq++);
		if (tx_frame(&s, frame, len, false))
			break;
		frames[m]++;
		deadline = now_ms() + 1000;
		while (s.tx_clean != s.tx_tail && now_ms() < deadline) {
			irq_wait(&s, 5);
			tx_reclaim(&s);
		}
		rx_clean(&s, false);
	}
	st.stop = 1;
	pthread_join(t, NULL);
	for (m = 0; m < STORM_NR; m++) {
		if (!used[m])
			continue;
		note("irq-storm: mode=%s ms=%" PRIu64 " writes=%llu frames=%u rx=%" PRIu64
		     " irq_tx=%" PRIu64 " irq_rx=%" PRIu64 " irq_mbx=%" PRIu64
		     " cpu_ms=%" PRIu64,
		     storm_names[m], ms[m], st.writes[m], frames[m], rx[m],
		     irq[m][VEC_TX], irq[m][VEC_RX], irq[m][VEC_MBX], cpu[m]);
	}
	bring_down(&s);
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
		"       sw-client hostile UUID --canary FILE [--rounds N] [--iova HEX]\n"
		"       sw-client irq-storm UUID --seconds N --dst MAC [--ip A.B.C.D]\n"
		"                 [--control | --mode-file FILE]\n"
		"       sw-client serve UUID --ip A.B.C.D [--seconds N] [--straddle] [--count-frames]\n"
		"       sw-client blast UUID --dst MAC --count N --size S [--ip A.B.C.D]\n"
		"                 [--dst-ip A.B.C.D] [--rate PPS] [--straddle] [--head-wb] [--vlan TCI]\n"
		"                 [--src MAC]\n"
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
		{ "src", required_argument, NULL, 'm' },
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
		{ "vlan", required_argument, NULL, 'V' },
		{ "canary", required_argument, NULL, 'C' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "control", no_argument, NULL, 'K' },
		{ "mode-file", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.seconds = 0, .port = UDP_PORT, .iova = DEFAULT_IOVA,
		.dst_ip = htonl(INADDR_BROADCAST), .vlan = -1,
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
		case 'm':
			if (!(o.have_src_mac = parse_mac(optarg, o.src_mac)))
				usage();
			break;
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
		case 'V': o.vlan = strtol(optarg, NULL, 0) & 0xffff; break;
		case 'C': o.canary = optarg; break;
		case 'R': o.rounds = strtoul(optarg, NULL, 0); break;
		case 'K': o.control = true; break;
		case 'M': o.mode_file = optarg; break;
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
	if (!strcmp(cmd, "hostile"))
		return cmd_hostile(uuid, &o);
	if (!strcmp(cmd, "irq-storm"))
		return cmd_irq_storm(uuid, &o);
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
