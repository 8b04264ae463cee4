#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Register names for cdna-regs, generated from the drivers' own headers
# (kmod/cdna-pf/pf_regs.h, kmod/include/cdna_vf_regs.h): every
#   #define CDNA_NAME		0xOFFSET
#   #define CDNA_NAME(i)		(0xBASE + STRIDE * (i))
# becomes { "NAME", BASE, STRIDE }.  Field definitions are indented
# ("#define  CDNA_..."), so they never match; a value that is not an
# offset (CDNA_EITR_OTHER) has no place in these headers (pf.h has it).
set -e
for h in "$@"; do
	sed -n -E \
	    -e 's/^#define CDNA_([A-Z0-9_]+)[[:space:]]+(0x[0-9a-fA-F]+)([[:space:]].*)?$/\t{ "\1", \2, 0 },/p' \
	    -e 's/^#define CDNA_([A-Z0-9_]+)\([a-z]+\)[[:space:]]+\((0x[0-9a-fA-F]+) \+ (0x[0-9a-fA-F]+|[0-9]+) \* \([a-z]+\)\)([[:space:]].*)?$/\t{ "\1", \2, \3 },/p' \
	    "$h"
done
