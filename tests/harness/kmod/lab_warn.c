// SPDX-License-Identifier: GPL-2.0
/*
 * lab_warn: a module that raises a kernel WARNING when loaded.  Only the
 * harness self-test loads it, to prove that a WARNING in the lab VM's log
 * fails the run.  Never part of the product.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init lab_warn_init(void)
{
	WARN(1, "lab_warn: deliberate warning for the harness self-test\n");
	return 0;
}
module_init(lab_warn_init);

static void __exit lab_warn_exit(void)
{
}
module_exit(lab_warn_exit);

MODULE_DESCRIPTION("Lab harness self-test: WARN on load");
MODULE_LICENSE("GPL");
