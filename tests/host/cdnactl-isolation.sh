#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-topology: no-acs
# lab: timeout=300
#
# tests/host/cdnactl.sh on a topology where contexts are not isolated
# (the root port above the NIC has no ACS): the hook and attach report the
# guard's refusal, with its reason, and leave nothing behind.
exec bash /src/tests/host/cdnactl.sh isolation
