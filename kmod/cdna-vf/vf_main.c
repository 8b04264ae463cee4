// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_vf: CDNA context (82576 virtual function) driver, module entry.
 *
 * The guest's netdev for one CDNA context: direct data path on the VF's
 * queue 0, the PF/VF mailbox client (the shared codec is built in from
 * kmod/include/cdna_mbx.c), ethtool statistics.  See vf.h for the files.
 */
#include <linux/module.h>
#include <linux/workqueue.h>

#include "cdna_version.h"
#include "vf.h"

/* Service tasks of all VFs: they sleep on the mailbox, so not system_wq. */
struct workqueue_struct *cdna_vf_wq;

static int __init cdna_vf_init(void)
{
	int err;

	cdna_vf_wq = alloc_workqueue(CDNA_VF_DRV_NAME,
				     WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!cdna_vf_wq)
		return -ENOMEM;
	err = pci_register_driver(&cdna_vf_driver);
	if (err)
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(cdna_vf_wq);
	return err;
}
module_init(cdna_vf_init);

static void __exit cdna_vf_exit(void)
{
	pci_unregister_driver(&cdna_vf_driver);
	destroy_workqueue(cdna_vf_wq);
}
module_exit(cdna_vf_exit);

MODULE_DESCRIPTION("CDNA context (82576 virtual function) driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(CDNA_VERSION);
