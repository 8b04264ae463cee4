#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: never returns; the VM must be killed.
echo "hanging on purpose"
sleep 100000
