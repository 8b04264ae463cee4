// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_vf: CDNA context (82576 virtual function) driver.
 *
 * Module skeleton of the foundation: it loads, builds the shared mailbox
 * codec in, and unloads.  The driver itself lands with its own issue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/printk.h>

#include "cdna_mbx.h"

static int __init vf_init(void)
{
	pr_info("loaded (mailbox codec: %s)\n",
		cdna_mbx_type_name(CDNA_MSG_RESET));
	return 0;
}
module_init(vf_init);

static void __exit vf_exit(void)
{
	pr_info("unloaded\n");
}
module_exit(vf_exit);

MODULE_DESCRIPTION("CDNA context (82576 virtual function) driver");
MODULE_LICENSE("GPL");
