// SPDX-License-Identifier: GPL-2.0
/* The shared mailbox codec, built into this module. */
#include "cdna_mbx.c"
