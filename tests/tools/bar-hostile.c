// SPDX-License-Identifier: GPL-2.0
/*
 * bar-hostile: a hostile 82576 VF driver inside a guest, driving the
 * context's registers through the guest's /sys/bus/pci/devices/DEV/resource0
 * (no driver bound) and rings in its own memory, whose guest physical
 * addresses it finds in /proc/self/pagemap:
 *
 *   bar-hostile DEV [--canary ADDR]... [--count N]
 *
 * It resets the function, sets up both rings and posts N RX descriptors
 * (default 1000, 32 a doorbell) and N TX packets, every one naming memory
 * that is not the guest's (past the end of its RAM, across that end, at
 * 1 TiB, the MSI doorbell, each ADDR given: the host physical addresses
 * of the host's canary pages) or address 0 (no RX buffer may be there; a
 * TX buffer there is the guest's own memory, but its first bytes are no
 * frame of the guest's MAC: the guard drops it as spoofed).  Each must
 * come back at once: RX with DD, RXE and length 0, TX with DD.  Then
 * an RX ring past the end of RAM must be stopped at its first tail.  The
 * last line is "GUEST-HOSTILE rx=N tx=N bad=N ring_stopped=0|1".
 *
 * Exit status: 0 all as expected, 1 not, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/pci_regs.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cdna_desc.h"
#include "rawvf.h"

#define PAGE		4096u
#define RING_COUNT	256
#define RX_BUF_LEN	2048
#define BATCH		32
#define MAX_CANARY	64

static int nbad;

static uint64_t now_ms(void)
{
	return (uint64_t)(now_s() * 1000);
}

static bool head_is(uint32_t reg, uint32_t tail)
{
	uint64_t deadline = now_ms() + 3000;

	while (rd(reg) != tail)
		if (now_ms() > deadline)
			return false;
	return true;
}

/* A locked page of this process and its guest physical address. */
static void *dma_page(uint64_t *gpa)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	uint64_t e = 0;
	int fd;

	if (p == MAP_FAILED || mlock(p, PAGE))
		return NULL;
	memset(p, 0, PAGE);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, &e, sizeof(e), (uintptr_t)p / PAGE * 8) != 8 ||
	    !(e >> 63) || !(e & ((1ull << 55) - 1)))
		return NULL;
	close(fd);
	*gpa = (e & ((1ull << 55) - 1)) * PAGE;
	return p;
}

/*
 * The end of the guest's RAM: its highest System RAM range in /proc/iomem,
 * rounded up to 64 MiB (firmware tables at the top of RAM are the guest's
 * memory too, but not System RAM).
 */
static uint64_t ram_end(void)
{
	unsigned long long a, b, end = 0;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (line[0] != ' ' && strstr(line, "System RAM") &&
		    sscanf(line, "%llx-%llx", &a, &b) == 2 && b + 1 > end)
			end = b + 1;
	fclose(f);
	return (end + (64ull << 20) - 1) & ~((64ull << 20) - 1);
}

static uint64_t canary[MAX_CANARY];
static unsigned int ncanary;
static uint64_t top;

/* Memory that is not the guest's, by index. */
static uint64_t bad_addr(unsigned int i)
{
	switch (i % 6) {
	case 0:
		if (ncanary)
			return canary[(i / 6) % ncanary] + (i * 64) % PAGE;
		/* fall through */
	case 1:
		return top + PAGE * (i % 256);
	case 2:
		return top - 1 - (i * 37) % (RX_BUF_LEN - 1);
	case 3:
		return (1ull << 40) + (uint64_t)PAGE * i;
	case 4:
		return 0;
	default:
		return 0xfee00000 + (i % 16) * 16;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: bar-hostile DEV [--canary ADDR]... [--count N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "canary", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	union cdna_rx_desc *rxr;
	union cdna_tx_desc *txr;
	uint64_t rx_gpa, tx_gpa;
	unsigned int count = 1000, rx = 0, tx = 0, i, j, k;
	uint32_t tail, st, len;
	char path[512];
	uint16_t cmd;
	bool stopped;
	int fd, c;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (c == 'c' && ncanary < MAX_CANARY)
			canary[ncanary++] = strtoull(optarg, NULL, 0);
		else if (c == 'n')
			count = strtoul(optarg, NULL, 0);
		else
			return usage();
	}
	if (optind != argc - 1 || !count)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[optind]);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, PCI_COMMAND) != 2) {
		printf("FAIL: %s: %s\n", path, strerror(errno));
		return 1;
	}
	cmd = htole16(le16toh(cmd) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (pwrite(fd, &cmd, 2, PCI_COMMAND) != 2) {
		printf("FAIL: enabling %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	if (rawvf_map(argv[optind]))
		return 1;
	rxr = dma_page(&rx_gpa);
	txr = dma_page(&tx_gpa);
	top = ram_end();
	if (!rxr || !txr || !top) {
		printf("FAIL: no ring memory with a known guest physical address, or no RAM in /proc/iomem\n");
		return 1;
	}
	printf("bar-hostile: %s, RX ring 0x%" PRIx64 ", TX ring 0x%" PRIx64 ", RAM ends 0x%" PRIx64 ", %u canaries\n",
	       argv[optind], rx_gpa, tx_gpa, top, ncanary);

	wr(CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	usleep(20000);
	wr(CDNA_VF_RXDCTL(0), 0);
	wr(CDNA_VF_RDBAL(0), (uint32_t)rx_gpa);
	wr(CDNA_VF_RDBAH(0), (uint32_t)(rx_gpa >> 32));
	wr(CDNA_VF_RDLEN(0), RING_COUNT * CDNA_DESC_SIZE);
	wr(CDNA_VF_SRRCTL(0), FIELD_PREP(CDNA_VF_SRRCTL_BSIZEPKT, RX_BUF_LEN / 1024) |
	   FIELD_PREP(CDNA_VF_SRRCTL_DESCTYPE, CDNA_VF_SRRCTL_DESCTYPE_ONEBUF));
	wr(CDNA_VF_RDH(0), 0);
	wr(CDNA_VF_RDT(0), 0);
	wr(CDNA_VF_RXDCTL(0), CDNA_VF_RXDCTL_ENABLE);
	wr(CDNA_VF_TXDCTL(0), 0);
	wr(CDNA_VF_TDBAL(0), (uint32_t)tx_gpa);
	wr(CDNA_VF_TDBAH(0), (uint32_t)(tx_gpa >> 32));
	wr(CDNA_VF_TDLEN(0), RING_COUNT * CDNA_DESC_SIZE);
	wr(CDNA_VF_TDH(0), 0);
	wr(CDNA_VF_TDT(0), 0);
	wr(CDNA_VF_TXDCTL(0), CDNA_VF_TXDCTL_ENABLE);
	if (!(rd(CDNA_VF_RXDCTL(0)) & CDNA_VF_RXDCTL_ENABLE) ||
	    !(rd(CDNA_VF_TXDCTL(0)) & CDNA_VF_TXDCTL_ENABLE)) {
		printf("FAIL: rings not enabled (RXDCTL 0x%08x TXDCTL 0x%08x)\n",
		       rd(CDNA_VF_RXDCTL(0)), rd(CDNA_VF_TXDCTL(0)));
		return 1;
	}

	for (tail = 0, i = 0; i < count; i += k) {
		uint32_t first = tail;

		k = count - i < BATCH ? count - i : BATCH;
		for (j = 0; j < k; j++)
			cdna_rx_desc_post(&rxr[(first + j) % RING_COUNT],
					  bad_addr(i + j));
		tail = (first + k) % RING_COUNT;
		wr(CDNA_VF_RDT(0), tail);
		if (!head_is(CDNA_VF_RDH(0), tail)) {
			printf("FAIL: RDH %u, tail %u: RX descriptors not completed\n",
			       rd(CDNA_VF_RDH(0)), tail);
			nbad++;
			break;
		}
		for (j = 0; j < k; j++) {
			union cdna_rx_desc *d = &rxr[(first + j) % RING_COUNT];

			st = le32toh(*(volatile __le32 *)&d->wb.status_error);
			if (!(st & CDNA_RXD_STAT_DD) || !(st & CDNA_RXD_ERR_RXE) ||
			    le16toh(d->wb.length)) {
				if (nbad++ < 3)
					printf("FAIL: RX 0x%" PRIx64 ": status 0x%08x length %u\n",
					       bad_addr(i + j), st, le16toh(d->wb.length));
			}
		}
		rx += k;
	}

	for (tail = 0, i = 0; i < count; i += k) {
		uint32_t first = tail;

		k = count - i < BATCH ? count - i : BATCH;
		for (j = 0; j < k; j++) {
			union cdna_tx_desc *d = &txr[(first + j) % RING_COUNT];

			len = 60 + ((i + j) * 97) % 1455;
			d->read.buffer_addr = htole64(bad_addr(i + j + 1));
			d->read.cmd_type_len =
				htole32(FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA) |
					CDNA_TXD_CMD_DEXT | CDNA_TXD_CMD_IFCS |
					CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS | len);
			d->read.olinfo_status = htole32(FIELD_PREP(CDNA_TXD_PAYLEN, len));
		}
		tail = (first + k) % RING_COUNT;
		wr(CDNA_VF_TDT(0), tail);
		if (!head_is(CDNA_VF_TDH(0), tail)) {
			printf("FAIL: TDH %u, tail %u: TX descriptors not completed\n",
			       rd(CDNA_VF_TDH(0)), tail);
			nbad++;
			break;
		}
		for (j = 0; j < k; j++) {
			union cdna_tx_desc *d = &txr[(first + j) % RING_COUNT];

			if (!(le32toh(*(volatile __le32 *)&d->wb.status) & CDNA_TXD_STAT_DD) &&
			    nbad++ < 3)
				printf("FAIL: TX 0x%" PRIx64 ": no DD\n", bad_addr(i + j + 1));
		}
		tx += k;
	}

	/* A ring past the end of RAM: stopped at its first tail. */
	wr(CDNA_VF_RXDCTL(0), 0);
	wr(CDNA_VF_RDBAL(0), (uint32_t)(top + 0x100000));
	wr(CDNA_VF_RDBAH(0), (uint32_t)((top + 0x100000) >> 32));
	wr(CDNA_VF_RDT(0), 0);
	wr(CDNA_VF_RXDCTL(0), CDNA_VF_RXDCTL_ENABLE);
	wr(CDNA_VF_RDT(0), 8);
	usleep(10000);
	stopped = !(rd(CDNA_VF_RXDCTL(0)) & CDNA_VF_RXDCTL_ENABLE);
	if (!stopped) {
		printf("FAIL: an RX ring past the end of RAM still runs\n");
		nbad++;
	}
	wr(CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	printf("GUEST-HOSTILE rx=%u tx=%u bad=%d ring_stopped=%d\n", rx, tx, nbad,
	       stopped);
	return nbad ? 1 : 0;
}
