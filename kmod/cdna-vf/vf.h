/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdna_vf: the guest's netdev for one CDNA context (an 82576 VF).
 *
 * Files: vf_main.c (module entry), vf_pci.c (probe, remove, interrupts,
 * PCI reset hooks),
 * vf_mbx.c (mailbox client, reset handshake), vf_netdev.c (ndo ops,
 * bring-up, the service task that recovers from PF resets), vf_txrx.c
 * (rings, NAPI), vf_ethtool.c.
 */
#ifndef _CDNA_VF_H_
#define _CDNA_VF_H_

#include <linux/if_vlan.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "cdna_desc.h"
#include "cdna_mbx.h"
#include "cdna_vf_regs.h"

#define CDNA_VF_DRV_NAME	"cdna_vf"

#define CDNA_VF_TX_DEFAULT	256
#define CDNA_VF_RX_DEFAULT	512
#define CDNA_VF_MAX_MTU		(9216 - ETH_HLEN - ETH_FCS_LEN)
/* Descriptors one packet may need: context + chunks of every fragment. */
#define CDNA_VF_TX_DESC_NEEDED	(MAX_SKB_FRAGS + 4)
#define CDNA_VF_TX_WAKE_THRESH	(2 * CDNA_VF_TX_DESC_NEEDED)

/*
 * Descriptor thresholds of queue 0 (RXDCTL/TXDCTL): prefetch when fewer
 * than PTHRESH are cached and HTHRESH are available, write back in
 * batches of WTHRESH.
 */
#define CDNA_VF_TX_PTHRESH	8
#define CDNA_VF_TX_HTHRESH	1
#define CDNA_VF_TX_WTHRESH	1
#define CDNA_VF_RX_PTHRESH	16
#define CDNA_VF_RX_HTHRESH	8
#define CDNA_VF_RX_WTHRESH	1
/* A disabled queue may still finish a descriptor fetch for this long. */
#define CDNA_VF_QUEUE_STOP_US	1000

/*
 * MSI-X vectors: TX on 0, RX on 1, the mailbox on 2 (igbvf's layout, on
 * purpose: see cdna_vf_irq_enable()).  One NAPI context serves both
 * queue vectors.
 */
#define CDNA_VF_VEC_TX		0
#define CDNA_VF_VEC_RX		1
#define CDNA_VF_VEC_MBX		2
#define CDNA_VF_VEC_QUEUES	(BIT(CDNA_VF_VEC_TX) | BIT(CDNA_VF_VEC_RX))
#define CDNA_VF_EITR_DEFAULT	200	/* about 20k interrupts/s */

/* Extra unicast addresses (macvlans, ...) the VF asks the PF to filter. */
#define CDNA_VF_UC_LIST_MAX	8

/* Watchdog period: link, mailbox and counters are polled this often. */
#define CDNA_VF_WATCHDOG_MS	500

struct cdna_vf_hw {
	u8 __iomem *io;
	struct device *dev;
	bool gone;		/* an all-ones read: the function vanished */
};

u32 cdna_vf_rd32(struct cdna_vf_hw *hw, u32 reg);
void cdna_vf_wr32(struct cdna_vf_hw *hw, u32 reg, u32 val);

/* Bookkeeping of one TX descriptor slot. */
struct cdna_vf_tx_buf {
	struct sk_buff *skb;		/* set on a packet's first slot */
	DEFINE_DMA_UNMAP_ADDR(dma);
	DEFINE_DMA_UNMAP_LEN(len);
	bool is_page;			/* mapped with dma_map_page() */
	u16 eop;			/* first slot: index of the last one */
	unsigned int bytes;		/* first slot: bytes on the wire */
	unsigned int segs;		/* first slot: packets on the wire */
};

struct cdna_vf_rx_buf {
	struct sk_buff *skb;
	dma_addr_t dma;
};

/**
 * struct cdna_vf_ring_stats - counters of one ring
 * @packets: packets sent or received
 * @bytes: bytes sent or received
 * @busy: TX: times the ring was full when a packet came
 * @restarts: TX: times the queue was woken after a stop
 * @alloc_failed: RX: buffer allocations that failed
 * @csum_err: RX: frames whose checksum the NIC found bad
 * @errors: RX: frames dropped for a frame error or bad length
 * @syncp: makes the 64-bit counters safe to read on 32-bit hosts
 */
struct cdna_vf_ring_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t busy;
	u64_stats_t restarts;
	u64_stats_t alloc_failed;
	u64_stats_t csum_err;
	u64_stats_t errors;
	struct u64_stats_sync syncp;
};

/**
 * struct cdna_vf_ring - one descriptor ring
 * @vf: the owning device
 * @desc: the descriptors (coherent DMA memory)
 * @dma: bus address of @desc
 * @size: bytes of @desc
 * @count: descriptors in the ring
 * @next_to_use: next slot the driver fills
 * @next_to_clean: next slot the driver expects the NIC to finish
 * @tx_buf: TX: per-slot bookkeeping
 * @rx_buf: RX: per-slot bookkeeping
 * @tail: register offset of the tail
 * @buf_len: RX: bytes of every receive buffer
 * @skip_to_eop: RX: dropping the rest of a frame that spans buffers
 * @stats: counters, written only by the ring's owner (xmit or NAPI)
 *
 * Both rings of a VF are driven by its one NAPI context; the TX ring's
 * producer side by ndo_start_xmit under the queue's xmit lock.
 */
struct cdna_vf_ring {
	struct cdna_vf_priv *vf;
	void *desc;
	dma_addr_t dma;
	unsigned int size;
	u16 count;
	u16 next_to_use;
	u16 next_to_clean;
	union {
		struct cdna_vf_tx_buf *tx_buf;
		struct cdna_vf_rx_buf *rx_buf;
	};
	u32 tail;
	unsigned int buf_len;
	bool skip_to_eop;
	struct cdna_vf_ring_stats stats;
};

/* Mailbox counters, for ethtool -S. */
struct cdna_vf_mbx_stats {
	u64 tx;			/* messages sent */
	u64 rx;			/* messages received */
	u64 nacks;		/* requests the PF refused */
	u64 timeouts;		/* requests the PF did not answer in time */
	u64 resets;		/* completed reset handshakes */
	u64 pf_resets;		/* PF resets or lost CTS noticed */
};

/* The VF's hardware counters, widened to 64 bits: indexes of hw_total. */
enum cdna_vf_hw_stat {
	CDNA_VF_HW_GPRC,
	CDNA_VF_HW_GPTC,
	CDNA_VF_HW_GORC,
	CDNA_VF_HW_GOTC,
	CDNA_VF_HW_MPRC,
	CDNA_VF_HW_NSTATS,
};

/* Served without CTS this long, the VF redoes its reset handshake. */
#define CDNA_VF_PF_DOWN_RETRY	(10 * HZ)

/* Bits of cdna_vf_priv.state. */
enum cdna_vf_state {
	CDNA_VF_S_HW_READY,	/* reset handshake done, PF says CTS */
	CDNA_VF_S_RESET_REQ,	/* the service task must redo the handshake */
	CDNA_VF_S_UP,		/* data path live: rings in hw, NAPI on */
	CDNA_VF_S_RX_MODE,	/* rx mode (addresses, promisc) to push */
	CDNA_VF_S_REMOVING,	/* remove or shutdown: queue nothing */
	CDNA_VF_S_PCI_RESET,	/* between reset_prepare and reset_done */
	CDNA_VF_S_WARNED_PF,	/* told the log the PF is absent */
	CDNA_VF_S_NOTIFY_PEERS,	/* MAC changed: announce it at link up */
	CDNA_VF_S_PF_DOWN,	/* the PF holds our link down (no CTS, no NACK) */
	CDNA_VF_S_NBITS,
};

/**
 * struct cdna_vf_priv - one VF
 * @hw: register access
 * @pdev: the PCI function
 * @netdev: its netdev
 * @napi: polls both rings
 * @tx_ring: queue 0 TX
 * @rx_ring: queue 0 RX
 * @tx_count: TX ring size for the next bring-up
 * @rx_count: RX ring size for the next bring-up
 * @state: CDNA_VF_S_* bits
 * @mbx_lock: serializes mailbox transactions, and protects @v2p,
 *	@mbx_stats and the message words; taken after RTNL, never before
 * @v2p: read-to-clear bits of V2PMAILBOX seen but not yet consumed
 * @mbx_stats: mailbox counters
 * @watchdog: polls what an interrupt may not tell (see vf_pci.c)
 * @service: the service task: mailbox, resets, link, counters
 * @stats_lock: protects @hw_total, @hw_last and @hw_rebase
 * @hw_total: 64-bit totals of the hardware counters
 * @hw_last: the counters' last raw values, to compute wrapping deltas
 * @hw_rebase: the next counter read sets @hw_last without counting
 * @pf_mac: the address the PF gave in its reset reply, or zero
 * @promisc: the SET_PROMISC bits last sent (RTNL)
 * @mc_sent: whether @promisc/@mc were ever pushed since the last reset
 * @uc: the unicast list last pushed as extra filters (RTNL)
 * @uc_count: entries in @uc
 * @uc_synced: @uc is what the PF was asked for since the last reset
 * @active_vlans: VLAN ids the stack asked for, replayed after resets (RTNL)
 * @pf_down_at: jiffies when the PF began to serve us without CTS
 *	(CDNA_VF_S_PF_DOWN); the service task's, and the mailbox's under
 *	@mbx_lock
 * @eitr: the EITR value of the queue vector
 * @irq_name: names of the MSI-X vectors
 */
struct cdna_vf_priv {
	struct cdna_vf_hw hw;
	struct pci_dev *pdev;
	struct net_device *netdev;
	struct napi_struct napi;
	struct cdna_vf_ring tx_ring;
	struct cdna_vf_ring rx_ring;
	u16 tx_count;
	u16 rx_count;
	DECLARE_BITMAP(state, CDNA_VF_S_NBITS);

	struct mutex mbx_lock;		/* mailbox: see @mbx_lock above */
	u32 v2p;
	struct cdna_vf_mbx_stats mbx_stats;

	struct timer_list watchdog;
	struct work_struct service;

	spinlock_t stats_lock;		/* hw_total, hw_last, hw_rebase */
	u64 hw_total[CDNA_VF_HW_NSTATS];
	u32 hw_last[CDNA_VF_HW_NSTATS];
	bool hw_rebase;

	u8 pf_mac[ETH_ALEN];
	u8 promisc;
	bool mc_sent;
	u8 uc[CDNA_VF_UC_LIST_MAX][ETH_ALEN];
	u8 uc_count;
	bool uc_synced;
	unsigned long active_vlans[BITS_TO_LONGS(VLAN_N_VID)];
	unsigned long pf_down_at;
	u32 eitr;
	char irq_name[CDNA_VF_NUM_MSIX][IFNAMSIZ + 16];
};

/* vf_main.c */
extern struct workqueue_struct *cdna_vf_wq;

/* vf_pci.c */
extern struct pci_driver cdna_vf_driver;
void cdna_vf_irq_enable(struct cdna_vf_priv *vf);
void cdna_vf_irq_disable(struct cdna_vf_priv *vf);
void cdna_vf_schedule_service(struct cdna_vf_priv *vf);

/* vf_mbx.c */
int cdna_vf_mbx_reset_hw(struct cdna_vf_priv *vf, u8 *mac);
int cdna_vf_mbx_request(struct cdna_vf_priv *vf, const struct cdna_mbx_req *req);
void cdna_vf_mbx_poll(struct cdna_vf_priv *vf);
void cdna_vf_mbx_get_stats(struct cdna_vf_priv *vf,
			   struct cdna_vf_mbx_stats *stats);

/* vf_netdev.c */
extern const struct net_device_ops cdna_vf_netdev_ops;
void cdna_vf_netdev_setup(struct cdna_vf_priv *vf);
void cdna_vf_service_task(struct work_struct *work);
void cdna_vf_update_hw_stats(struct cdna_vf_priv *vf);
void cdna_vf_quiesce(struct cdna_vf_priv *vf);
int cdna_vf_after_reset(struct cdna_vf_priv *vf, const u8 *mac);
extern const u32 cdna_vf_hw_stat_regs[CDNA_VF_HW_NSTATS];

/* vf_txrx.c */
int cdna_vf_alloc_rings(struct cdna_vf_priv *vf);
void cdna_vf_free_rings(struct cdna_vf_priv *vf);
void cdna_vf_configure_rings(struct cdna_vf_priv *vf);
void cdna_vf_stop_rings(struct cdna_vf_priv *vf);
void cdna_vf_clean_rings(struct cdna_vf_priv *vf);
netdev_tx_t cdna_vf_xmit(struct sk_buff *skb, struct net_device *netdev);
int cdna_vf_poll(struct napi_struct *napi, int budget);
unsigned int cdna_vf_rx_buf_len(unsigned int mtu);

/* vf_ethtool.c */
extern const struct ethtool_ops cdna_vf_ethtool_ops;

#endif /* _CDNA_VF_H_ */
