// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf: CDNA physical-function driver for the Intel 82576.
 *
 * Module skeleton of the foundation: it loads, builds the shared mailbox
 * codec in, and unloads.  The driver itself lands with its own issue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/printk.h>

#include "cdna_mbx.h"

static int __init pf_init(void)
{
	pr_info("loaded (mailbox codec: %s)\n",
		cdna_mbx_type_name(CDNA_MSG_RESET));
	return 0;
}
module_init(pf_init);

static void __exit pf_exit(void)
{
	pr_info("unloaded\n");
}
module_exit(pf_exit);

MODULE_DESCRIPTION("CDNA physical-function driver for the Intel 82576");
MODULE_LICENSE("GPL");
