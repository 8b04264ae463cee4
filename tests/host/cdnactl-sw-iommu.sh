#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=900
#
# tests/host/cdnactl-sw.sh on a host with an IOMMU: the context's mode
# really changes both ways (set mode iommu succeeds), next to what the
# script checks without one.
exec bash /src/tests/host/cdnactl-sw.sh iommu
