// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: any bytes a VF can put in its mailbox. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mbx_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 msg[CDNA_MBX_WORDS] = { 0 };
	unsigned int nwords = size / 4;
	struct cdna_mbx_req req;
	const char *bad;
	int ret;

	if (nwords > CDNA_MBX_WORDS)
		nwords = CDNA_MBX_WORDS;
	memcpy(msg, data, nwords * 4);
	ret = cdna_mbx_decode(msg, nwords, &req);
	bad = mbx_check_invariants(msg, ret, &req);
	if (bad) {
		fprintf(stderr, "invariant broken: %s\n", bad);
		abort();
	}
	return 0;
}
