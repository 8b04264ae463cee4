// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf: CDNA physical-function driver for the Intel 82576.
 *
 * PCI ids, probe, remove, module init.  The PF splits the NIC into
 * contexts (VFs with their VMDq pools), answers the PF/VF mailbox and
 * exposes policy through the standard ndo_set_vf_* operations.
 *
 * The in-tree igb driver claims the same ids.  On a real host, hand the PF
 * over with:
 *	echo 0000:BB:DD.F > /sys/bus/pci/drivers/igb/unbind
 *	echo cdna_pf > /sys/bus/pci/devices/0000:BB:DD.F/driver_override
 *	echo 0000:BB:DD.F > /sys/bus/pci/drivers/cdna_pf/bind
 * (or blacklist igb).  The lab VM does not autoload igb.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

#include "cdna_pci_ids.h"
#include "cdna_version.h"
#include "pf.h"
#include "pf_fault.h"

static const struct pci_device_id cdna_pci_ids[] = {
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_COPPER) },
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_FIBER) },
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_SERDES) },
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_QUAD_COPPER) },
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_NS) },
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_NS_SERDES) },
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_SERDES_QUAD) },
	{ }
};
MODULE_DEVICE_TABLE(pci, cdna_pci_ids);

static int cdna_irqs_request(struct cdna_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int n, err;

	n = cdna_fault(CDNA_FAULT_MSIX) ? -ENOSPC :
	    pci_alloc_irq_vectors(pdev, CDNA_VEC_QUEUE + 1, CDNA_NUM_MSIX,
				  PCI_IRQ_MSIX);
	if (n < 0)
		return n;
	pf->irq_other = pci_irq_vector(pdev, CDNA_VEC_OTHER);
	pf->irq_queue = pci_irq_vector(pdev, CDNA_VEC_QUEUE);
	err = request_irq(pf->irq_other, cdna_other_irq, 0,
			  "cdna_pf-other", pf);
	if (err)
		goto err_free_vectors;
	err = request_irq(pf->irq_queue, cdna_queue_irq, 0,
			  "cdna_pf-queue", pf);
	if (err)
		goto err_free_irq_other;
	return 0;

err_free_irq_other:
	free_irq(pf->irq_other, pf);
err_free_vectors:
	pci_free_irq_vectors(pdev);
	return err;
}

static void cdna_irqs_free(struct cdna_pf *pf)
{
	free_irq(pf->irq_queue, pf);
	free_irq(pf->irq_other, pf);
	pci_free_irq_vectors(pf->pdev);
}

/*
 * Whether cdna_pf takes every 82576 PF no driver holds (the default, as
 * any driver does), or only those an operator gave it by driver_override
 * (cdnactl claim, at boot for the PFs /etc/cdna/contexts.conf names).  The
 * packages set it to N (/usr/lib/modprobe.d/cdna.conf): udev loads both igb
 * and cdna_pf for every 82576 at boot, and which one registers first must
 * not decide who gets a PF the operator left to igb.
 */
static bool autobind = true;
module_param(autobind, bool, 0644);
MODULE_PARM_DESC(autobind,
		 "Take any unbound 82576 PF (default Y); N: only PFs whose driver_override is cdna_pf");

static bool cdna_overridden(struct pci_dev *pdev)
{
#ifdef CDNA_HAVE_DEVICE_DRIVER_OVERRIDE
	bool set;

	/*
	 * What device_has_driver_override() does, without its guard(),
	 * which sparse takes for a lock never released.
	 */
	spin_lock(&pdev->dev.driver_override.lock);
	set = !!pdev->dev.driver_override.name;
	spin_unlock(&pdev->dev.driver_override.lock);
	return set;
#else
	/* The device lock, held around probe, keeps driver_override. */
	return pdev->driver_override;
#endif
}

static int cdna_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *netdev;
	struct cdna_pf *pf;
	int err;

	if (!autobind && !cdna_overridden(pdev))
		return -ENODEV;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		goto err_disable_device;
	err = pci_request_mem_regions(pdev, CDNA_DRV_NAME);
	if (err)
		goto err_disable_device;
	pci_set_master(pdev);

	netdev = alloc_etherdev(sizeof(*pf));
	if (!netdev) {
		err = -ENOMEM;
		goto err_release_regions;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pf = netdev_priv(netdev);
	pf->pdev = pdev;
	pf->netdev = netdev;
	pf->tx_count = CDNA_DEF_RING;
	pf->rx_count = CDNA_DEF_RING;
	mutex_init(&pf->vf_lock);
	init_waitqueue_head(&pf->release_wq);
	mutex_init(&pf->phy_lock);
	spin_lock_init(&pf->vf_stats_lock);
	spin_lock_init(&pf->stats_lock);
	INIT_DELAYED_WORK(&pf->mbx_work, cdna_mbx_work);
	INIT_DELAYED_WORK(&pf->service_work, cdna_service_work);
	INIT_WORK(&pf->rx_mode_work, cdna_rx_mode_work);
	INIT_WORK(&pf->reset_work, cdna_reset_work);
	pci_set_drvdata(pdev, pf);

	pf->hw.addr = pci_iomap(pdev, 0, 0);
	if (!pf->hw.addr) {
		err = -EIO;
		goto err_free_netdev;
	}

	err = cdna_hw_reset(pf);
	if (err) {
		dev_err(&pdev->dev, "device does not answer after reset\n");
		goto err_unmap;
	}
	cdna_nvm_version(pf);
	err = cdna_hw_read_mac(pf, pf->perm_addr);
	if (err) {
		dev_warn(&pdev->dev, "no valid MAC in the NVM (%d): random\n",
			 err);
		eth_random_addr(pf->perm_addr);
	}
	/* Driver loaded; PF reset done: the VFs' mailboxes show RSTD. */
	cdna_rmw32(&pf->hw, CDNA_CTRL_EXT, 0,
		   CDNA_CTRL_EXT_DRV_LOAD | CDNA_CTRL_EXT_PFRSTD);

	pf->wq = alloc_ordered_workqueue("cdna_pf-%s", 0, pci_name(pdev));
	if (!pf->wq) {
		err = -ENOMEM;
		goto err_unmap;
	}

	cdna_netdev_create(pf);
	mutex_lock(&pf->vf_lock);
	cdna_hw_vmdq_setup(pf);
	cdna_hw_pf_rx_filters(pf);
	mutex_unlock(&pf->vf_lock);

	err = cdna_irqs_request(pf);
	if (err) {
		dev_err(&pdev->dev, "MSI-X: %d\n", err);
		goto err_netdev_destroy;
	}
	cdna_hw_init_irq(pf);
	cdna_wr32(&pf->hw, CDNA_IMS, CDNA_ICR_LSC | CDNA_ICR_VMMB);
	cdna_wr32(&pf->hw, CDNA_EIMS, BIT(CDNA_VEC_OTHER));

	mutex_lock(&pf->phy_lock);
	err = cdna_hw_phy_setup(pf);
	mutex_unlock(&pf->phy_lock);
	if (err)
		dev_warn(&pdev->dev, "PHY does not answer on MDIC: %d\n", err);

	err = register_netdev(netdev);
	if (err)
		goto err_irq_disable;

	err = cdna_sysfs_init(pf);
	if (err)
		goto err_unregister_netdev;
	err = cdna_devlink_init(pf);
	if (err)
		goto err_sysfs_fini;

	queue_delayed_work(pf->wq, &pf->service_work, HZ);
	netdev_info(netdev, "Intel 82576 PF %s, MAC %pM, %d MSI-X vectors\n",
		    pci_name(pdev), netdev->dev_addr,
		    pci_msix_vec_count(pdev));
	return 0;

err_sysfs_fini:
	cdna_sysfs_fini(pf);
err_unregister_netdev:
	unregister_netdev(netdev);
err_irq_disable:
	cdna_hw_irq_disable(pf);
	cdna_irqs_free(pf);
err_netdev_destroy:
	cdna_netdev_destroy(pf);
	destroy_workqueue(pf->wq);
err_unmap:
	pci_iounmap(pdev, pf->hw.addr);
err_free_netdev:
	free_netdev(netdev);
err_release_regions:
	pci_release_mem_regions(pdev);
err_disable_device:
	pci_disable_device(pdev);
	return err;
}

static void cdna_remove(struct pci_dev *pdev)
{
	struct cdna_pf *pf = pci_get_drvdata(pdev);
	struct net_device *netdev = pf->netdev;

	cdna_sriov_remove(pf);
	/* Nothing may queue work any more: mask the other-cause vector. */
	cdna_hw_irq_disable(pf);
	cdna_wr32(&pf->hw, CDNA_EIMC, ~0U);
	synchronize_irq(pf->irq_other);
	cancel_delayed_work_sync(&pf->service_work);
	cancel_delayed_work_sync(&pf->mbx_work);
	cdna_devlink_fini(pf);
	cdna_sysfs_fini(pf);
	unregister_netdev(netdev);
	/* ethtool -r may have queued the service work again until now. */
	cancel_delayed_work_sync(&pf->service_work);
	cancel_work_sync(&pf->rx_mode_work);
	cancel_work_sync(&pf->reset_work);
	cdna_irqs_free(pf);
	cdna_netdev_destroy(pf);
	destroy_workqueue(pf->wq);

	cdna_rmw32(&pf->hw, CDNA_CTRL_EXT, CDNA_CTRL_EXT_DRV_LOAD, 0);
	pci_iounmap(pdev, pf->hw.addr);
	mutex_destroy(&pf->phy_lock);
	mutex_destroy(&pf->vf_lock);
	free_netdev(netdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

/*
 * Reboot or kexec: nothing may DMA into memory the next kernel owns.  The
 * PF's queues stop with RCTL/bus mastering; the contexts' queues run on
 * their own VFs' bus mastering, which a VF driver or a VM may have left
 * on, so they are stopped here as well: switch closed, queues disabled.
 */
static void cdna_shutdown(struct pci_dev *pdev)
{
	struct cdna_pf *pf = pci_get_drvdata(pdev);
	struct cdna_hw *hw = &pf->hw;
	int vf, i;

	cdna_hw_irq_disable(pf);
	/* Nothing may reopen a pool behind us (a VF's RESET, the poll). */
	cancel_delayed_work_sync(&pf->service_work);
	cancel_delayed_work_sync(&pf->mbx_work);
	mutex_lock(&pf->vf_lock);
	if (pf->num_vfs) {
		cdna_wr32(hw, CDNA_VFRE, 0);
		cdna_wr32(hw, CDNA_VFTE, 0);
	}
	for (vf = 0; vf < pf->num_vfs; vf++) {
		for (i = 0; i < CDNA_POOL_QUEUES; i++) {
			u16 q = cdna_pool_queue(vf, i);

			cdna_rmw32(hw, CDNA_RXDCTL(q), CDNA_RXDCTL_ENABLE, 0);
			cdna_rmw32(hw, CDNA_TXDCTL(q), CDNA_TXDCTL_ENABLE, 0);
		}
	}
	cdna_wr32(hw, CDNA_RCTL, 0);
	mutex_unlock(&pf->vf_lock);
	pci_clear_master(pdev);
}

static struct pci_driver cdna_pci_driver;

/**
 * cdna_pf_of - the PF state of a context's PF, if cdna_pf drives it
 * @vfdev: a VF
 * @vf: set to the VF's number within its PF
 *
 * Return: the PF, or NULL when @vfdev is not an enabled context of a PF
 * bound to this driver.
 */
struct cdna_pf *cdna_pf_of(struct pci_dev *vfdev, int *vf)
{
	struct pci_dev *pfdev;
	struct cdna_pf *pf;

	if (!vfdev->is_virtfn)
		return NULL;
	pfdev = pci_physfn(vfdev);
	if (pci_dev_driver(pfdev) != &cdna_pci_driver)
		return NULL;
	pf = pci_get_drvdata(pfdev);
	*vf = pci_iov_vf_id(vfdev);
	if (!pf || *vf < 0 || *vf >= pf->num_vfs)
		return NULL;
	return pf;
}

static struct pci_driver cdna_pci_driver = {
	.name			= CDNA_DRV_NAME,
	.id_table		= cdna_pci_ids,
	.probe			= cdna_probe,
	.remove			= cdna_remove,
	.shutdown		= cdna_shutdown,
	.sriov_configure	= cdna_sriov_configure,
};

static int __init cdna_init(void)
{
	int err;

	cdna_fault_init();
	err = pci_register_driver(&cdna_pci_driver);
	if (err)
		cdna_fault_exit();
	return err;
}
module_init(cdna_init);

static void __exit cdna_exit(void)
{
	pci_unregister_driver(&cdna_pci_driver);
	cdna_fault_exit();
}
module_exit(cdna_exit);

MODULE_DESCRIPTION("CDNA physical-function driver for the Intel 82576");
MODULE_LICENSE("GPL");
MODULE_VERSION(CDNA_VERSION);
