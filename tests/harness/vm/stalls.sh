#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: the first lines of an RCU stall report in the
# kernel log, then no verdict ever (as a VM whose CPU lost its timer).
echo '<3>rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:' > /dev/kmsg
echo '<3>rcu: rcu_preempt kthread timer wakeup didn'"'"'t happen for 5251 jiffies! (planted)' > /dev/kmsg
sleep 100000
