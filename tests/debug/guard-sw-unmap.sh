#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debug tier: the software-mode tests that unmap guest memory the guard
# has pinned while its queues use it (sw_unmap_busy, sw_unmap_partial, in
# both pinning strategies), from tests/host/guard-sw.sh, under the debug
# kernel without lockdep; guard-sw runs everything else with lockdep.
# vfio_iommu_type1 calls the guard's .dma_unmap holding device_list_lock,
# which it takes under iommu->lock, and the guard must unpin there
# (vfio_unpin_pages takes iommu->lock): lockdep reports that order of
# type1's own as soon as a driver unpins in the callback, and then stops
# checking.  KASAN, kmemleak, KFENCE, UBSAN and DMA-API debug check these
# tests as any other.
#
# lab-iommu: off
# lab: timeout=400 mem=2048
# lab-debug-cmdline: lockdep.prove_locking=0
# unmap-busy opens the mediated device itself: no serve around it.
export GUARD_SW_TESTS="sw_bind_free sw_unmap_busy sw_unmap_partial sw_cache
		       sw_remove"
export GUARD_SW_CACHE_TESTS="sw_unmap_busy sw_unmap_partial"
source /src/tests/host/guard-sw.sh
