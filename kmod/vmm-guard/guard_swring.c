// SPDX-License-Identifier: GPL-2.0
/* The shared shadow ring engine (software mode), built into this module. */
#include "cdna_swring.c"
