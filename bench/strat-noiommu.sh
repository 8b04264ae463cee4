#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/strat.sh on a lab VM without an IOMMU: software mode's two
# strategies, whose DMA API mappings are then direct (make
# bench-strategies' second boot).
#
# Usage (inside the lab VM): bench/strat-noiommu.sh [ROUNDS [SECS]]
#
# lab-iommu: off
exec bash /src/bench/strat.sh noiommu "$@"
