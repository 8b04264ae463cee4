// SPDX-License-Identifier: GPL-2.0
/* The shared mailbox policy decision, built into this module. */
#include "cdna_policy.c"
