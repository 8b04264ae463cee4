#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/vf-reset.sh with cdna_pf as the PF: admin MAC changes and
# link state changes are announced by the project's PF itself.
#
# lab: timeout=600
PF_DRIVER=cdna_pf exec bash /src/tests/host/vf-reset.sh
