#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: exits 0 after a kernel WARNING; the runner
# must still fail the run.
insmod /src/tests/harness/kmod/lab_warn.ko || exit 3
rmmod lab_warn
exit 0
