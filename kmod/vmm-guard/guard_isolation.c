// SPDX-License-Identifier: GPL-2.0
/* The shared isolation decision, built into this module. */
#include "cdna_isolation.c"
