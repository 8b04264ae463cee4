// SPDX-License-Identifier: GPL-2.0
/*
 * mbx-flood: a hostile 82576 VF flooding its PF's mailbox, driven through
 * /sys/bus/pci/devices/DEV/resource0 (no driver bound):
 *
 *   mbx-flood DEV COUNT [SEED [SECONDS]]
 *
 * It posts messages as fast as it can, never waiting for the PF, until it
 * has posted COUNT and SECONDS (default 0) have passed, or SIGTERM came:
 * each is written into VMBMEM and announced with V2PMAILBOX.REQ.  Half are
 * garbage (random length and words), half valid requests replayed with
 * random arguments (RESET, SET_MAC, SET_MULTICAST, SET_VLAN, SET_LPE,
 * SET_PROMISC), so the PF's decoder, its refusals, its resets and its
 * throttling all run.  The last line is "mbx-flood: sent=N seconds=S
 * rate=R/s".  Exit status: 0 done, 1 cannot map the BAR, 2 usage.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cdna_mbx.h"
#include "rawvf.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* xorshift64: reproducible from SEED, cheap enough not to be the limit. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state >> 16);
}

/* One message into @w; its length in words. */
static unsigned int message(uint32_t *w)
{
	unsigned int n, i;

	if (rnd() & 1) {
		n = 1 + rnd() % CDNA_MBX_WORDS;
		for (i = 0; i < n; i++)
			w[i] = rnd();
		return n;
	}
	switch (rnd() % 6) {
	case 0:
		w[0] = CDNA_MSG_RESET;
		return 1;
	case 1:		/* a unicast, locally administered address */
		w[0] = CDNA_MSG_SET_MAC;
		w[1] = (rnd() & 0xfffffffc) | 0x02;
		w[2] = rnd() & 0xffff;
		return 3;
	case 2:
		n = rnd() % (CDNA_MBX_MC_MAX + 1);
		w[0] = CDNA_MSG_SET_MULTICAST | (n << 16);
		for (i = 0; i < (n + 1) / 2; i++)
			w[1 + i] = rnd() & 0x0fff0fff;
		return 1 + (n + 1) / 2;
	case 3:
		w[0] = CDNA_MSG_SET_VLAN | ((rnd() & 1) << 16);
		w[1] = rnd() % (CDNA_MBX_VLAN_MAX + 2);
		return 2;
	case 4:
		w[0] = CDNA_MSG_SET_LPE;
		w[1] = rnd() % (CDNA_MBX_MAX_FRAME + 256);
		return 2;
	default:
		w[0] = CDNA_MSG_SET_PROMISC | ((rnd() & 3) << 16);
		return 1;
	}
}

int main(int argc, char **argv)
{
	uint32_t w[CDNA_MBX_WORDS];
	unsigned long count, sent;
	double t0, secs, min_s = 0;
	unsigned int n, i;

	if (argc < 3) {
		fprintf(stderr, "usage: mbx-flood DEV COUNT [SEED [SECONDS]]\n");
		return 2;
	}
	count = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		rnd_state ^= strtoull(argv[3], NULL, 0) * 0x2545f4914f6cdd1dull;
	if (argc > 4)
		min_s = strtod(argv[4], NULL);
	if (rawvf_map(argv[1]))
		return 1;
	signal(SIGTERM, on_term);
	t0 = now_s();
	for (sent = 0; !stop && (sent < count || (sent & 1023) ||
				 now_s() - t0 < min_s); sent++) {
		n = message(w);
		for (i = 0; i < n; i++)
			wr(CDNA_VF_VMBMEM(i), w[i]);
		wr(CDNA_VF_V2PMAILBOX, CDNA_V2P_REQ);
	}
	secs = now_s() - t0;
	printf("mbx-flood: sent=%lu seconds=%.1f rate=%.0f/s\n", sent, secs,
	       secs > 0 ? sent / secs : 0.0);
	return 0;
}
