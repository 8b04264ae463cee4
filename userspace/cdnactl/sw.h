/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guard's software protection mode as cdnactl shows it: a context
 * bound to vmm_guard_sw offers one mediated device (VFIO mdev) and its
 * ledger counts what the guard did with the VM's descriptors.  Reading
 * those files from a ledger directory, and showing them in list and
 * list -j.  Plain C over files: unit-tested on a directory of its own.
 */
#ifndef CDNA_SW_H
#define CDNA_SW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "parse.h"

#define CDNA_STRATEGY_LEN	16

/**
 * struct cdna_sw_info - a software-mode context's ledger counters
 * @valid: read (the context is bound to vmm_guard_sw and every file read)
 * @validated: descriptors the guard validated and gave the NIC
 * @refused: descriptors it refused
 * @pinned: guest pages pinned now
 * @bounced: RX buffers bounced (across non-contiguous pages)
 * @split: TX buffers split in two descriptors (the same)
 * @spoof: TX descriptors dropped: source MAC not the context's
 * @vlan: TX descriptors dropped: a VLAN tag the context may not use
 * @strategy: how guest buffers are mapped (CDNA_STRATEGY_*)
 * @mdev: the context's mediated device, "" when it has none
 */
struct cdna_sw_info {
	bool valid;
	uint64_t validated;
	uint64_t refused;
	uint64_t pinned;
	uint64_t bounced;
	uint64_t split;
	uint64_t spoof;
	uint64_t vlan;
	char strategy[CDNA_STRATEGY_LEN];
	char mdev[CDNA_UUID_LEN];
};

int cdna_sw_info_read(const char *ledger, struct cdna_sw_info *sw);
void cdna_sw_line(FILE *f, const struct cdna_sw_info *sw);
void cdna_sw_json(struct cdna_json *j, const struct cdna_sw_info *sw);

#endif /* CDNA_SW_H */
