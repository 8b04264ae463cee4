// SPDX-License-Identifier: GPL-2.0
/* The shared TX descriptor builder and its skb side, built into this module. */
#include "cdna_desc.c"
#include "cdna_desc_skb.c"
