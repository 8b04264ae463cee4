#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: a VM test that fails on purpose.
echo "failing on purpose"
exit 1
