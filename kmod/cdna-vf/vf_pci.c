// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_vf: PCI side of the 82576 VF driver: register access, MSI-X,
 * probe, remove, the watchdog and the PCI reset (FLR) hooks.
 *
 * Interrupts.  TX completions raise vector 0, RX vector 1, both polled
 * by one NAPI context.  The mailbox cause is routed with VTIVAR_MISC = 2,
 * which the chip delivers on vector 2 and QEMU's model (off by one) on
 * vector 1; nothing depends on the mailbox interrupt arriving at all:
 * the watchdog polls the mailbox and the link every CDNA_VF_WATCHDOG_MS.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>

#include "cdna_pci_ids.h"
#include "vf.h"

/**
 * cdna_vf_rd32 - read a VF register
 * @hw: the VF's registers
 * @reg: byte offset (CDNA_VF_*)
 *
 * An all-ones value from a register that cannot hold it means the
 * function is gone (surprise removal, FLR in progress, PF disabled
 * SR-IOV): STATUS is read to confirm, and the device is marked gone so
 * that every later access is skipped until a reset clears the mark.
 *
 * Return: the value, or all-ones when the device is gone.
 */
u32 cdna_vf_rd32(struct cdna_vf_hw *hw, u32 reg)
{
	u32 val;

	if (READ_ONCE(hw->gone))
		return ~0U;
	val = readl(hw->io + reg);
	if (val != ~0U)
		return val;
	if (reg != CDNA_VF_STATUS &&
	    readl(hw->io + CDNA_VF_STATUS) != ~0U)
		return val;
	WRITE_ONCE(hw->gone, true);
	dev_err(hw->dev, "registers read all-ones: device gone\n");
	return val;
}

/**
 * cdna_vf_wr32 - write a VF register
 * @hw: the VF's registers
 * @reg: byte offset (CDNA_VF_*)
 * @val: the value
 */
void cdna_vf_wr32(struct cdna_vf_hw *hw, u32 reg, u32 val)
{
	if (!READ_ONCE(hw->gone))
		writel(val, hw->io + reg);
}

/**
 * cdna_vf_schedule_service - run the service task soon
 * @vf: the VF
 *
 * Context: any.
 */
void cdna_vf_schedule_service(struct cdna_vf_priv *vf)
{
	if (!test_bit(CDNA_VF_S_REMOVING, vf->state))
		queue_work(cdna_vf_wq, &vf->service);
}

static void cdna_vf_watchdog(struct timer_list *t)
{
	struct cdna_vf_priv *vf = from_timer(vf, t, watchdog);

	if (test_bit(CDNA_VF_S_REMOVING, vf->state))
		return;
	cdna_vf_schedule_service(vf);
	mod_timer(&vf->watchdog,
		  jiffies + msecs_to_jiffies(CDNA_VF_WATCHDOG_MS));
}

static irqreturn_t cdna_vf_queue_irq(int irq, void *data)
{
	struct cdna_vf_priv *vf = data;

	/*
	 * Not masked while NAPI runs: QEMU's model has no auto-mask (EIAM)
	 * and signals only causes that are newly set, so a cause arriving
	 * while masked could be lost.  EIAC re-arms the cause on delivery
	 * and a poll already running is told to go round again.
	 */
	napi_schedule_irqoff(&vf->napi);
	return IRQ_HANDLED;
}

static irqreturn_t cdna_vf_mbx_irq(int irq, void *data)
{
	struct cdna_vf_priv *vf = data;

	cdna_vf_schedule_service(vf);
	return IRQ_HANDLED;
}

/**
 * cdna_vf_irq_enable - route and unmask the VF's interrupt causes
 * @vf: the VF
 *
 * CTRL.RST clears the routing, so this runs after every reset handshake.
 * QEMU's model ORs every VTIVAR write into the PF's IVAR, after turning
 * the vector into a PF cause number, and never clears it: a layout other
 * than the one a previous driver of the VF used (the stock igbvf, say)
 * corrupts the routing, even into another VF's vectors.  igbvf's layout
 * (TX 0, RX 1, mailbox 2) is used so that the two coexist.
 */
void cdna_vf_irq_enable(struct cdna_vf_priv *vf)
{
	struct cdna_vf_hw *hw = &vf->hw;
	u32 all = GENMASK(CDNA_VF_NUM_MSIX - 1, 0);
	u32 rx = CDNA_VF_IVAR_VALID |
		 FIELD_PREP(CDNA_VF_IVAR_VECTOR, CDNA_VF_VEC_RX);
	u32 tx = CDNA_VF_IVAR_VALID |
		 FIELD_PREP(CDNA_VF_IVAR_VECTOR, CDNA_VF_VEC_TX);
	u32 mbx = CDNA_VF_IVAR_VALID |
		  FIELD_PREP(CDNA_VF_IVAR_VECTOR, CDNA_VF_VEC_MBX);

	cdna_vf_wr32(hw, CDNA_VF_IVAR0, FIELD_PREP(CDNA_VF_IVAR_RX0, rx) |
					FIELD_PREP(CDNA_VF_IVAR_TX0, tx));
	cdna_vf_wr32(hw, CDNA_VF_IVAR_MISC,
		     FIELD_PREP(CDNA_VF_IVAR_MISC_MBX, mbx));
	cdna_vf_wr32(hw, CDNA_VF_EITR(CDNA_VF_VEC_TX),
		     vf->eitr & CDNA_VF_EITR_INTERVAL);
	cdna_vf_wr32(hw, CDNA_VF_EITR(CDNA_VF_VEC_RX),
		     vf->eitr & CDNA_VF_EITR_INTERVAL);
	cdna_vf_wr32(hw, CDNA_VF_EIAC, all);
	cdna_vf_wr32(hw, CDNA_VF_EIMS, all);
}

/**
 * cdna_vf_irq_disable - mask every cause and wait for running handlers
 * @vf: the VF
 */
void cdna_vf_irq_disable(struct cdna_vf_priv *vf)
{
	unsigned int i;

	cdna_vf_wr32(&vf->hw, CDNA_VF_EIMC, GENMASK(CDNA_VF_NUM_MSIX - 1, 0));
	for (i = 0; i < CDNA_VF_NUM_MSIX; i++)
		synchronize_irq(pci_irq_vector(vf->pdev, i));
}

static int cdna_vf_request_irqs(struct cdna_vf_priv *vf)
{
	struct pci_dev *pdev = vf->pdev;
	unsigned int i;
	int err;

	err = pci_alloc_irq_vectors(pdev, CDNA_VF_NUM_MSIX, CDNA_VF_NUM_MSIX,
				    PCI_IRQ_MSIX);
	if (err < 0)
		return err;

	for (i = 0; i < CDNA_VF_NUM_MSIX; i++) {
		bool queue = i != CDNA_VF_VEC_MBX;

		snprintf(vf->irq_name[i], sizeof(vf->irq_name[i]), "%s-%s",
			 pci_name(pdev), i == CDNA_VF_VEC_TX ? "tx" :
			 i == CDNA_VF_VEC_RX ? "rx" : "mbx");
		err = request_irq(pci_irq_vector(pdev, i),
				  queue ? cdna_vf_queue_irq : cdna_vf_mbx_irq,
				  0, vf->irq_name[i], vf);
		if (err)
			goto err_free_irqs;
	}
	return 0;

err_free_irqs:
	while (i--)
		free_irq(pci_irq_vector(pdev, i), vf);
	pci_free_irq_vectors(pdev);
	return err;
}

static void cdna_vf_free_irq(struct cdna_vf_priv *vf, unsigned int i)
{
	free_irq(pci_irq_vector(vf->pdev, i), vf);
}

static void cdna_vf_free_irqs(struct cdna_vf_priv *vf)
{
	unsigned int i;

	for (i = 0; i < CDNA_VF_NUM_MSIX; i++)
		cdna_vf_free_irq(vf, i);
	pci_free_irq_vectors(vf->pdev);
}

/* The first reset handshake; a PF that does not answer is retried later. */
static void cdna_vf_first_reset(struct cdna_vf_priv *vf)
{
	u8 mac[ETH_ALEN];
	int err;

	err = cdna_vf_mbx_reset_hw(vf, mac);
	if (!err) {
		rtnl_lock();
		cdna_vf_after_reset(vf, mac);
		rtnl_unlock();
		return;
	}
	eth_hw_addr_random(vf->netdev);
	set_bit(CDNA_VF_S_RESET_REQ, vf->state);
	set_bit(CDNA_VF_S_WARNED_PF, vf->state);
	dev_warn(&vf->pdev->dev,
		 "PF did not complete the reset handshake (%s, %d): link stays down, retrying every %u ms\n",
		 err == -EAGAIN ? "PF in reset" : "no answer", err,
		 CDNA_VF_WATCHDOG_MS);
}

static int cdna_vf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *netdev;
	struct cdna_vf_priv *vf;
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		goto err_disable_device;
	}
	err = pci_request_mem_regions(pdev, CDNA_VF_DRV_NAME);
	if (err)
		goto err_disable_device;
	pci_set_master(pdev);

	netdev = alloc_etherdev(sizeof(*vf));
	if (!netdev) {
		err = -ENOMEM;
		goto err_release_regions;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	netif_carrier_off(netdev);
	pci_set_drvdata(pdev, netdev);
	vf = netdev_priv(netdev);
	vf->pdev = pdev;
	vf->netdev = netdev;
	vf->hw.dev = &pdev->dev;
	vf->tx_count = CDNA_VF_TX_DEFAULT;
	vf->rx_count = CDNA_VF_RX_DEFAULT;
	vf->eitr = CDNA_VF_EITR_DEFAULT;
	vf->hw_rebase = true;
	mutex_init(&vf->mbx_lock);
	spin_lock_init(&vf->stats_lock);
	u64_stats_init(&vf->tx_ring.stats.syncp);
	u64_stats_init(&vf->rx_ring.stats.syncp);
	timer_setup(&vf->watchdog, cdna_vf_watchdog, 0);
	INIT_WORK(&vf->service, cdna_vf_service_task);

	vf->hw.io = pci_iomap(pdev, CDNA_VF_BAR_REGS, 0);
	if (!vf->hw.io) {
		err = -ENOMEM;
		goto err_free_netdev;
	}

	err = cdna_vf_request_irqs(vf);
	if (err) {
		dev_err(&pdev->dev, "cannot get %u MSI-X vectors: %d\n",
			CDNA_VF_NUM_MSIX, err);
		goto err_unmap;
	}

	cdna_vf_netdev_setup(vf);
	netif_napi_add(netdev, &vf->napi, cdna_vf_poll);
	cdna_vf_first_reset(vf);

	err = register_netdev(netdev);
	if (err)
		goto err_del_napi;

	dev_info(&pdev->dev, "%s: MAC %pM, %s\n", netdev->name,
		 netdev->dev_addr,
		 test_bit(CDNA_VF_S_HW_READY, vf->state) ?
		 "PF handshake done" : "waiting for the PF");
	mod_timer(&vf->watchdog,
		  jiffies + msecs_to_jiffies(CDNA_VF_WATCHDOG_MS));
	cdna_vf_schedule_service(vf);
	return 0;

err_del_napi:
	set_bit(CDNA_VF_S_REMOVING, vf->state);
	cdna_vf_irq_disable(vf);
	cdna_vf_free_irqs(vf);
	cancel_work_sync(&vf->service);
	netif_napi_del(&vf->napi);
err_unmap:
	pci_iounmap(pdev, vf->hw.io);
err_free_netdev:
	mutex_destroy(&vf->mbx_lock);
	free_netdev(netdev);
err_release_regions:
	pci_release_mem_regions(pdev);
err_disable_device:
	pci_disable_device(pdev);
	return err;
}

static void cdna_vf_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	/* Stop everything that queues the service task, then the task. */
	set_bit(CDNA_VF_S_REMOVING, vf->state);
	timer_delete_sync(&vf->watchdog);
	cdna_vf_free_irq(vf, CDNA_VF_VEC_MBX);
	cancel_work_sync(&vf->service);

	unregister_netdev(netdev);
	cdna_vf_irq_disable(vf);
	cdna_vf_free_irq(vf, CDNA_VF_VEC_TX);
	cdna_vf_free_irq(vf, CDNA_VF_VEC_RX);
	netif_napi_del(&vf->napi);
	/* Leave the queues reset; the PF sees it (VFLRE) and drops CTS. */
	cdna_vf_wr32(&vf->hw, CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	pci_free_irq_vectors(pdev);
	pci_iounmap(pdev, vf->hw.io);
	mutex_destroy(&vf->mbx_lock);
	free_netdev(netdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

/* Reboot, kexec: no DMA into memory the next kernel owns. */
static void cdna_vf_shutdown(struct pci_dev *pdev)
{
	struct cdna_vf_priv *vf = netdev_priv(pci_get_drvdata(pdev));

	set_bit(CDNA_VF_S_REMOVING, vf->state);
	timer_delete_sync(&vf->watchdog);
	cancel_work_sync(&vf->service);
	rtnl_lock();
	netif_device_detach(vf->netdev);
	cdna_vf_quiesce(vf);
	rtnl_unlock();
	cdna_vf_irq_disable(vf);
	cdna_vf_wr32(&vf->hw, CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	pci_disable_device(pdev);
}

/* FLR (sysfs reset, VFIO, the PF): stop the data path first ... */
static void cdna_vf_reset_prepare(struct pci_dev *pdev)
{
	struct cdna_vf_priv *vf = netdev_priv(pci_get_drvdata(pdev));

	netdev_info(vf->netdev, "function reset: stopping the data path\n");
	set_bit(CDNA_VF_S_PCI_RESET, vf->state);
	cancel_work_sync(&vf->service);
	rtnl_lock();
	cdna_vf_quiesce(vf);
	rtnl_unlock();
	cdna_vf_irq_disable(vf);
}

/* ... and afterwards let the service task redo the handshake. */
static void cdna_vf_reset_done(struct pci_dev *pdev)
{
	struct cdna_vf_priv *vf = netdev_priv(pci_get_drvdata(pdev));

	WRITE_ONCE(vf->hw.gone, false);
	set_bit(CDNA_VF_S_RESET_REQ, vf->state);
	clear_bit(CDNA_VF_S_PCI_RESET, vf->state);
	cdna_vf_schedule_service(vf);
}

static const struct pci_error_handlers cdna_vf_err_handlers = {
	.reset_prepare = cdna_vf_reset_prepare,
	.reset_done = cdna_vf_reset_done,
};

static const struct pci_device_id cdna_vf_ids[] = {
	{ PCI_DEVICE(CDNA_PCI_VENDOR, CDNA_82576_VF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, cdna_vf_ids);

/* Registered by the module entry (vf_main.c). */
struct pci_driver cdna_vf_driver = {
	.name = CDNA_VF_DRV_NAME,
	.id_table = cdna_vf_ids,
	.probe = cdna_vf_probe,
	.remove = cdna_vf_remove,
	.shutdown = cdna_vf_shutdown,
	.err_handler = &cdna_vf_err_handlers,
};
