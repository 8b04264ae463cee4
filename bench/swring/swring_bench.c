// SPDX-License-Identifier: GPL-2.0
/*
 * swring-bench: nanoseconds per validated descriptor of the software
 * mode's shadow ring engine (kmod/include/cdna_swring.c), in userspace.
 * Build and run: make -C bench/swring run (or make -C bench/swring, then
 * bench/swring/swring-bench [runs]).
 *
 * Six figures, each the median of several runs:
 *   rx validate, tx validate   cdna_sw_rx_check() / cdna_sw_tx_check()
 *                              alone over a ring's worth of descriptors
 *   rx post+complete           tail, post (pin, map), the NIC's DD,
 *                              completion (unmap, unpin) of 2 KiB buffers
 *   rx split post+complete     the same with header split: 2 KiB packet
 *                              buffers and 128-byte header buffers, two
 *                              pins and maps a descriptor (igbvf's MTU 9000
 *                              layout)
 *   tx post+complete           the same for packets of a context and a
 *                              1514-byte data descriptor (a quarter
 *                              straddle two contiguous pages)
 *   tx tso post+complete       TSO packets: a context and a 5858-byte TSE
 *                              data descriptor (4 segments of 1448), the
 *                              packet's TSO checked against its context
 * The page operations are trivial (pfn = page, bus = address), so the
 * post figures are the engine's own cost: in the guard, vfio_pin_pages()
 * and dma_map_page() come on top.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cdna_swring.h"

#define COUNT		1024
#define BATCH		256
#define ROUNDS		2000
#define PG		CDNA_SW_PAGE

static int b_pin(void *priv, u64 iova, u64 *pfn)
{
	(void)priv;
	*pfn = iova / PG;
	return 0;
}

static void b_unpin(void *priv, u64 iova)
{
	(void)priv;
	(void)iova;
}

static int b_map(void *priv, u64 pfn, u32 off, u32 len, bool to_dev,
		 u64 *bus)
{
	(void)priv;
	(void)len;
	(void)to_dev;
	*bus = pfn * PG + off;
	return 0;
}

static void b_unmap(void *priv, u64 bus, u32 len, bool to_dev)
{
	(void)priv;
	(void)bus;
	(void)len;
	(void)to_dev;
}

static int b_bounce(void *priv, u32 slot, u32 len, u64 *bus)
{
	(void)priv;
	(void)len;
	*bus = 0x100000000000ULL + (u64)slot * 0x4000;
	return 0;
}

static const struct cdna_sw_mem_ops ops = {
	.pin = b_pin, .unpin = b_unpin, .map = b_map, .unmap = b_unmap,
	.bounce = b_bounce,
};

/* Where the validators' results go, so the loops are not optimised out. */
unsigned int bench_sink;

static struct cdna_sw_q q;
static struct cdna_sw_slot slots[COUNT];
static struct cdna_sw_run runs[2 * COUNT];
static union cdna_rx_desc grx[COUNT], srx[COUNT];
static union cdna_tx_desc gtx[COUNT], gtso[COUNT], stx[2 * COUNT];
static struct cdna_sw_rx_done rxd[COUNT];
static struct cdna_sw_tx_done txd[COUNT];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void fill_rings(void)
{
	u32 i;

	for (i = 0; i < COUNT; i++) {
		/* 2 KiB halves of pages, as igbvf's header-split buffers */
		grx[i].read.pkt_addr = cpu_to_le64(0x40000000ULL + i * 2048);
		/* the header buffers: small skbs, as igbvf's, 256 bytes apart */
		grx[i].read.hdr_addr = cpu_to_le64(0x60000000ULL + i * 256);
	}
	for (i = 0; i < COUNT; i += 2) {
		u64 addr = 0x80000000ULL + (u64)i * 1536;

		gtx[i].ctx.vlan_macip_lens = cpu_to_le32(0x0000020e | 20);
		gtx[i].ctx.seqnum_seed = 0;
		gtx[i].ctx.type_tucmd_mlhl =
			cpu_to_le32(CDNA_TXD_CMD_DEXT | CDNA_TXC_TUCMD_IPV4 |
				    FIELD_PREP(CDNA_TXD_DTYP,
					       CDNA_TXD_DTYP_CTXT));
		gtx[i].ctx.mss_l4len_idx = 0;
		gtx[i + 1].read.buffer_addr = cpu_to_le64(addr);
		gtx[i + 1].read.cmd_type_len =
			cpu_to_le32(CDNA_TXD_CMD_DEXT | CDNA_TXD_CMD_IFCS |
				    CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS |
				    FIELD_PREP(CDNA_TXD_DTYP,
					       CDNA_TXD_DTYP_DATA) | 1514);
		gtx[i + 1].read.olinfo_status =
			cpu_to_le32(FIELD_PREP(CDNA_TXD_PAYLEN, 1514) |
				    CDNA_TXD_POPTS_TXSM);

		/* TSO: Ethernet, IPv4, TCP with timestamps (14 + 20 + 32) */
		gtso[i] = gtx[i];
		gtso[i].ctx.vlan_macip_lens =
			cpu_to_le32(FIELD_PREP(CDNA_TXC_MACLEN, 14) |
				    FIELD_PREP(CDNA_TXC_IPLEN, 20));
		gtso[i].ctx.type_tucmd_mlhl |=
			cpu_to_le32(FIELD_PREP(CDNA_TXC_TUCMD_L4T,
					       CDNA_TXC_L4T_TCP));
		gtso[i].ctx.mss_l4len_idx =
			cpu_to_le32(FIELD_PREP(CDNA_TXC_MSS, 1448) |
				    FIELD_PREP(CDNA_TXC_L4LEN, 32));
		gtso[i + 1].read.buffer_addr =
			cpu_to_le64(0xc0000000ULL + (u64)i * 4096);
		gtso[i + 1].read.cmd_type_len =
			cpu_to_le32(CDNA_TXD_CMD_DEXT | CDNA_TXD_CMD_IFCS |
				    CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS |
				    CDNA_TXD_CMD_TSE |
				    FIELD_PREP(CDNA_TXD_DTYP,
					       CDNA_TXD_DTYP_DATA) | 5858);
		gtso[i + 1].read.olinfo_status =
			cpu_to_le32(FIELD_PREP(CDNA_TXD_PAYLEN, 5858 - 66) |
				    CDNA_TXD_POPTS_TXSM | CDNA_TXD_POPTS_IXSM);
	}
}

static double bench_rx_check(void)
{
	unsigned int acc = 0;
	double t0 = now_ns();
	u32 r, i;

	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < COUNT; i++)
			acc += cdna_sw_rx_check(&grx[i], 2048);
	bench_sink += acc;
	return (now_ns() - t0) / ((double)ROUNDS * COUNT);
}

static double bench_tx_check(void)
{
	unsigned int acc = 0;
	double t0 = now_ns();
	u32 r, i;

	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < COUNT; i++)
			acc += cdna_sw_tx_check(&gtx[i]);
	bench_sink += acc;
	return (now_ns() - t0) / ((double)ROUNDS * COUNT);
}

static double rx_post(u32 hdrsz)
{
	u64 before;
	double t0;
	u32 r, first, n, i;

	if (cdna_sw_q_init_split(&q, CDNA_SW_RX, 0x1000,
				 COUNT * CDNA_DESC_SIZE, 2048, hdrsz, 0, slots,
				 runs))
		abort();
	t0 = now_ns();
	for (r = 0; r < ROUNDS; r++) {
		union cdna_rx_desc copy[BATCH];

		if (cdna_sw_tail(&q, (q.g_tail + BATCH) % COUNT, &first, &n))
			abort();
		for (i = 0; i < n; i++)
			copy[i] = grx[(first + i) % COUNT];
		if (cdna_sw_rx_post(&q, copy, n, srx, &ops, NULL))
			abort();
		for (i = q.ntc; i != q.ntu; i = (i + 1) % COUNT) {
			srx[i].wb.info =
				cpu_to_le32(FIELD_PREP(CDNA_SW_RXD_HDR_LEN, 66));
			srx[i].wb.length = cpu_to_le16(1448);
			srx[i].wb.status_error =
				cpu_to_le32(CDNA_RXD_STAT_DD |
					    CDNA_RXD_STAT_EOP);
		}
		if (cdna_sw_rx_complete(&q, srx, rxd, COUNT, &ops, NULL) !=
		    (int)n)
			abort();
	}
	before = q.stats.validated;
	cdna_sw_q_drop_all(&q, &ops, NULL);
	if (before != (u64)ROUNDS * BATCH || q.stats.refused ||
	    q.stats.bounced)
		abort();
	return (now_ns() - t0) / ((double)ROUNDS * BATCH);
}

static double bench_rx_post(void)
{
	return rx_post(0);
}

static double bench_rx_split_post(void)
{
	return rx_post(128);
}

static double tx_post(const union cdna_tx_desc *ring)
{
	double t0;
	u32 r, first, n, i;

	if (cdna_sw_q_init(&q, CDNA_SW_TX, 0x1000, COUNT * CDNA_DESC_SIZE, 0,
			   0, slots, runs))
		abort();
	t0 = now_ns();
	for (r = 0; r < ROUNDS; r++) {
		union cdna_tx_desc copy[BATCH];

		if (cdna_sw_tail(&q, (q.g_tail + BATCH) % COUNT, &first, &n))
			abort();
		for (i = 0; i < n; i++)
			copy[i] = ring[(first + i) % COUNT];
		if (cdna_sw_tx_post(&q, copy, n, stx, &ops, NULL))
			abort();
		if (cdna_sw_tx_complete(&q, q.ntu, txd, COUNT, &ops, NULL) !=
		    (int)n)
			abort();
	}
	if (q.stats.validated != (u64)ROUNDS * BATCH || q.stats.refused)
		abort();
	cdna_sw_q_drop_all(&q, &ops, NULL);
	return (now_ns() - t0) / ((double)ROUNDS * BATCH);
}

static double bench_tx_post(void)
{
	return tx_post(gtx);
}

static double bench_tx_tso_post(void)
{
	return tx_post(gtso);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double (*fn)(void), int runs)
{
	double t[64];
	int i;

	for (i = 0; i < runs; i++)
		t[i] = fn();
	qsort(t, runs, sizeof(t[0]), cmp);
	return t[runs / 2];
}

int main(int argc, char **argv)
{
	int nruns = argc > 1 ? atoi(argv[1]) : 7;

	if (nruns < 1 || nruns > 64) {
		fprintf(stderr, "usage: swring-bench [runs, 1..64]\n");
		return 2;
	}
	fill_rings();
	printf("swring-bench: ns per validated descriptor, median of %d runs\n",
	       nruns);
	printf("  rx validate             %6.2f\n",
	       median(bench_rx_check, nruns));
	printf("  tx validate             %6.2f\n",
	       median(bench_tx_check, nruns));
	printf("  rx post+complete        %6.2f\n",
	       median(bench_rx_post, nruns));
	printf("  rx split post+complete  %6.2f\n",
	       median(bench_rx_split_post, nruns));
	printf("  tx post+complete        %6.2f\n",
	       median(bench_tx_post, nruns));
	printf("  tx tso post+complete    %6.2f\n",
	       median(bench_tx_tso_post, nruns));
	return 0;
}
