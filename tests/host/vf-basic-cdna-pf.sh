#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/vf-basic.sh with cdna_pf as the PF: the project's two drivers
# together (vf-basic.sh alone runs cdna_vf against the in-tree igb).
#
# lab: timeout=600
PF_DRIVER=cdna_pf exec bash /src/tests/host/vf-basic.sh
