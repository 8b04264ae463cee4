/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdna_pf: CDNA physical-function driver for the Intel 82576.
 *
 * One struct cdna_pf per PF.  The PF's own netdev uses one TX/RX queue
 * pair; once VFs exist the chip is in VMDq mode, pool n belongs to VF n and
 * the PF takes pool num_vfs (queue num_vfs), as upstream igb does.
 */
#ifndef _CDNA_PF_H_
#define _CDNA_PF_H_

#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/if_vlan.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "cdna_desc.h"
#include "cdna_mbx.h"
#include "cdna_policy.h"
#include "cdna_sysfs_abi.h"
#include "pf_regs.h"

#define CDNA_DRV_NAME		"cdna_pf"

#define CDNA_MAX_VFS		7	/* pool 7 stays the PF's */
#define CDNA_NUM_MSIX		10
#define CDNA_VEC_OTHER		0	/* link, mailbox, VF reset */
#define CDNA_VEC_QUEUE		1	/* the PF's queue pair */
/*
 * EITR value of the other-cause vector (a value, not a register: it is
 * kept out of pf_regs.h, whose defines tests/tools take for offsets): the
 * interval, bits 14:2, in 0.25 us: 500 us (QEMU counts 1024 ns a unit).
 */
#define CDNA_EITR_OTHER		0x7d0

#define CDNA_DEF_RING		256
#define CDNA_MIN_RING		64
#define CDNA_MAX_RING		4096
#define CDNA_RING_ALIGN		8	/* descriptors: RDLEN/TDLEN 128 B units */
/*
 * TX descriptors the largest packet takes: a context descriptor and its
 * buffers in 32 KiB chunks (64 KiB at most: two chunks more than buffers).
 * The queue stops below that and wakes at twice as many.
 */
#define CDNA_TX_STOP		(MAX_SKB_FRAGS + 4)
#define CDNA_TX_WAKE		(2 * CDNA_TX_STOP)

/*
 * Descriptor thresholds of the PF's queues (RXDCTL/TXDCTL): prefetch when
 * fewer than PTHRESH are cached and HTHRESH are available, write back in
 * batches of WTHRESH.
 */
#define CDNA_TX_PTHRESH		8
#define CDNA_TX_HTHRESH		1
#define CDNA_TX_WTHRESH		1
#define CDNA_RX_PTHRESH		8
#define CDNA_RX_HTHRESH		8
#define CDNA_RX_WTHRESH		1
/* Smallest RX buffer; larger ones follow the MTU in SRRCTL's 1 KiB units. */
#define CDNA_RX_BUF_MIN		SZ_2K
/* A disabled queue may still finish a descriptor fetch for this long. */
#define CDNA_QUEUE_STOP_US	1000

#define CDNA_MIN_MTU		68
#define CDNA_MAX_MTU		9216

/* VLANs a VF may ask for at most; its share may be less (cdna_vlan_share) */
#define CDNA_VF_MAX_VLANS	8
/*
 * Extra unicast filters (SET_MAC FILTER_ADD) a VF may hold at most; its
 * actual share is the free RAR entries split evenly between the VFs,
 * capped at this (see cdna_vf_uc_quota()).
 */
#define CDNA_VF_MAX_UC		4

/* How long the PF's removal waits for VMs to let go of their contexts. */
#define CDNA_RELEASE_WAIT_S	10

/*
 * Flood control: token buckets per VF, one for mailbox messages, one for
 * resets (VF CTRL.RST, FLR, RESET message: each costs the PF a full
 * reprogramming of the pool).  A VF that runs out is throttled until its
 * next token: its requests wait in its mailbox unread (the VF sees them
 * acknowledged late, not lost), its mailbox interrupt is masked
 * (MBVFIMR; QEMU's model does not mask), a reset is only noted (its pool
 * closed, no CTS) and handled in full when the VF may go on.
 */
#define CDNA_MBX_BURST		32	/* messages */
#define CDNA_MBX_RATE		8	/* messages per second refill */
#define CDNA_RST_BURST		16	/* resets */
#define CDNA_RST_RATE		4	/* resets per second refill */

/**
 * struct cdna_hw - register window of the PF
 * @addr: BAR0 mapping
 * @gone: the device returned all-ones: surprise removal or a dead link
 */
struct cdna_hw {
	u8 __iomem *addr;
	bool gone;
};

/* Bookkeeping of one TX descriptor slot. */
struct cdna_tx_buf {
	struct sk_buff *skb;		/* set on the packet's first buffer */
	union cdna_tx_desc *eop;	/* last descriptor of the packet */
	unsigned int bytes;		/* first buffer: bytes on the wire */
	u16 segs;			/* first buffer: packets on the wire */
	bool is_page;			/* mapped with dma_map_page() */
	DEFINE_DMA_UNMAP_ADDR(dma);
	DEFINE_DMA_UNMAP_LEN(len);
};

struct cdna_rx_buf {
	struct sk_buff *skb;
	dma_addr_t dma;
};

/**
 * struct cdna_ring_stats - per-ring counters NAPI writes, read under @syncp
 * @syncp: u64 consistency on 32-bit
 * @packets: packets completed (TX: segments on the wire)
 * @bytes: bytes completed (TX: on the wire, TSO headers counted per segment)
 * @errors: RX frames with a MAC error
 * @csum_err: RX checksum errors
 * @alloc_failed: RX buffer allocation failures
 * @restarts: TX queue restarts
 * @vlan: RX frames whose VLAN tag the NIC stripped into the descriptor
 */
struct cdna_ring_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t errors;
	u64_stats_t csum_err;
	u64_stats_t alloc_failed;
	u64_stats_t restarts;
	u64_stats_t vlan;
};

/**
 * struct cdna_xmit_stats - TX counters ndo_start_xmit writes, read under
 *	@syncp (its own: xmit and NAPI's completion run concurrently)
 * @syncp: u64 consistency on 32-bit
 * @dropped: packets dropped (mapping or offload setup failed)
 * @tso: packets handed to the NIC for TCP segmentation
 * @tso_segs: segments the NIC makes of them
 * @vlan: packets whose VLAN tag the NIC inserts (VLE)
 */
struct cdna_xmit_stats {
	struct u64_stats_sync syncp;
	u64_stats_t dropped;
	u64_stats_t tso;
	u64_stats_t tso_segs;
	u64_stats_t vlan;
};

/**
 * struct cdna_ring - a TX or RX descriptor ring
 * @pf: owner
 * @dev: DMA device
 * @desc: descriptors
 * @dma: bus address of @desc
 * @size: bytes of @desc
 * @count: descriptors
 * @reg_idx: hardware queue
 * @next_to_use: next slot the driver fills (software producer)
 * @next_to_clean: next slot the driver expects the NIC to finish
 * @tail: the ring's tail register
 * @tx_buf: TX bookkeeping, @count entries
 * @rx_buf: RX bookkeeping, @count entries
 * @buf_len: RX buffer bytes
 * @stats: counters of the NAPI side
 * @xstats: TX counters of the transmit side
 */
struct cdna_ring {
	struct cdna_pf *pf;
	struct device *dev;
	void *desc;
	dma_addr_t dma;
	unsigned int size;
	u16 count;
	u16 reg_idx;
	u16 next_to_use;
	u16 next_to_clean;
	u8 __iomem *tail;
	union {
		struct cdna_tx_buf *tx_buf;
		struct cdna_rx_buf *rx_buf;
	};
	unsigned int buf_len;
	struct cdna_ring_stats stats;
	struct cdna_xmit_stats xstats;
};

enum cdna_vf_stat {
	CDNA_VFS_RX_PACKETS,
	CDNA_VFS_TX_PACKETS,
	CDNA_VFS_RX_BYTES,
	CDNA_VFS_TX_BYTES,
	CDNA_VFS_RX_MULTICAST,
	CDNA_VFS_NUM,
};

/**
 * struct cdna_vf_hw_stats - a pool's counters, 64-bit across 32-bit wraps
 * @last: last raw register values, indexed by enum cdna_vf_stat
 * @total: accumulated totals, same order
 */
struct cdna_vf_hw_stats {
	u32 last[CDNA_VFS_NUM];
	u64 total[CDNA_VFS_NUM];
};

/**
 * struct cdna_vf_uc - an extra unicast filter of a VF
 * @mac: the address
 * @rar: the RAR entry that holds it (with the VF's pool select)
 */
struct cdna_vf_uc {
	u8 mac[ETH_ALEN];
	u8 rar;
};

/**
 * struct cdna_vf - one context (a VF and its VMDq pool)
 * @mac: the VF's address (admin or VF-chosen); zero when none
 * @admin_mac: @mac was set by the host: the VF cannot change it
 * @vlan: admin (port) VLAN, 0 = none
 * @qos: 802.1p priority of @vlan
 * @vlans: VLANs the VF asked for
 * @nr_vlans: entries in @vlans
 * @mc_hash: MTA hashes the VF asked for
 * @mc_count: entries in @mc_hash
 * @uc: extra unicast filters the VF asked for (SET_MAC FILTER_ADD)
 * @nr_uc: entries in @uc
 * @uc_refused: FILTER_ADD requests refused (policy, share used up, address
 *	taken)
 * @vlan_refused: SET_VLAN add requests refused (policy, share used up, no
 *	VLVF entry left)
 * @max_frame: largest frame the pool accepts (SET_LPE)
 * @spoofchk: MAC/VLAN anti-spoofing on
 * @trusted: the host trusts the VF (multicast promiscuous allowed)
 * @mc_promisc: the VF asked for multicast promiscuous mode
 * @link_state: IFLA_VF_LINK_STATE_*
 * @max_tx_rate: Mbit/s, 0 = unlimited
 * @reset_done: the VF completed the RESET handshake since its last reset
 * @tx_grace: jiffies until which a context the host just disabled may
 *	still complete the frames it had queued (VFTE stays on), so its
 *	driver sees the link go down instead of a stuck queue
 * @mbx_msgs: messages read from the VF
 * @mbx_refused: messages NACKed
 * @mbx_throttled: messages held back by flood control
 * @resets: VF resets (FLR, VF CTRL.RST, RESET message)
 * @resets_throttled: resets beyond the reset rate, handled late
 * @tokens: flood control bucket of messages
 * @tokens_at: jiffies of its last refill
 * @rst_tokens: flood control bucket of resets
 * @rst_tokens_at: jiffies of its last refill
 * @throttle_until: jiffies until which the VF is throttled; 0 when not
 * @reset_pending: a reset the VF made waits to be handled (throttled)
 * @mbx_deferred: a request waits unread in the VF's mailbox (throttled)
 * @down_note: a refusal without CTS went to a VF the host holds down: once
 *	it has read it, tell it "link down" again
 * @hw: pool counters (under the PF's @vf_stats_lock)
 * @spoof_dropped: frames the guard's software mode dropped for a source
 *	MAC not the context's (under @vf_stats_lock)
 * @vlan_dropped: and for a VLAN tag it may not use (likewise)
 * @kobj: sysfs ctxN directory
 * @held: a VM holds the context through vmm_guard (cdna_ctx_ops.hold):
 *	the contexts cannot be removed
 * @owner: who holds the context (set by vmm_guard), empty when nobody
 */
struct cdna_vf {
	u8 mac[ETH_ALEN];
	bool admin_mac;
	u16 vlan;
	u8 qos;
	u16 vlans[CDNA_VF_MAX_VLANS];
	u8 nr_vlans;
	u16 mc_hash[CDNA_MBX_MC_MAX];
	u8 mc_count;
	struct cdna_vf_uc uc[CDNA_VF_MAX_UC];
	u8 nr_uc;
	u64 uc_refused;
	u64 vlan_refused;
	u32 max_frame;
	bool spoofchk;
	bool trusted;
	bool mc_promisc;
	int link_state;
	u32 max_tx_rate;
	bool reset_done;
	unsigned long tx_grace;
	u64 mbx_msgs;
	u64 mbx_refused;
	u64 mbx_throttled;
	u64 resets;
	u64 resets_throttled;
	unsigned int tokens;
	unsigned long tokens_at;
	unsigned int rst_tokens;
	unsigned long rst_tokens_at;
	unsigned long throttle_until;
	bool reset_pending;
	bool mbx_deferred;
	bool down_note;
	struct cdna_vf_hw_stats hw;
	u64 spoof_dropped;
	u64 vlan_dropped;
	struct kobject *kobj;
	bool held;
	char owner[CDNA_OWNER_LEN];
};

/**
 * struct cdna_mbx_event - a context's mailbox counters at one moment, for
 *	the devlink "mbx" health reporter (pf_devlink.c)
 * @vf: the context
 * @mbx_msgs: as struct cdna_vf
 * @mbx_refused: as struct cdna_vf
 * @mbx_throttled: as struct cdna_vf
 * @resets: as struct cdna_vf
 * @resets_throttled: as struct cdna_vf
 * @uc_refused: as struct cdna_vf
 * @vlan_refused: as struct cdna_vf
 * @throttled: the PF holds the context back
 */
struct cdna_mbx_event {
	int vf;
	u64 mbx_msgs;
	u64 mbx_refused;
	u64 mbx_throttled;
	u64 resets;
	u64 resets_throttled;
	u64 uc_refused;
	u64 vlan_refused;
	bool throttled;
};

/**
 * struct cdna_hw_stats - PF MAC counters accumulated from clear-on-read regs
 */
struct cdna_hw_stats {
	u64 crcerrs;
	u64 mpc;
	u64 rlec;
	u64 gprc;
	u64 bprc;
	u64 mprc;
	u64 gptc;
	u64 gorc;
	u64 gotc;
	u64 rnbc;
	u64 ruc;
	u64 roc;
	u64 tpr;
	u64 tpt;
	u64 mptc;
	u64 bptc;
	u64 tsctc;
};

/**
 * struct cdna_pf - driver state of one 82576 PF
 * @pdev: PCI function
 * @netdev: the PF's own netdev
 * @hw: register window
 * @perm_addr: MAC from the NVM
 * @tx: TX ring
 * @rx: RX ring
 * @napi: NAPI of the queue pair
 * @tx_count: TX ring size for the next open
 * @rx_count: RX ring size for the next open
 * @up: the data path is running (under RTNL)
 * @link_up: last link state seen
 * @link_speed: Mbit/s
 * @num_vfs: enabled VFs; 0 = VMDq off (changed under RTNL and @vf_lock)
 * @vfs: per-VF state, CDNA_MAX_VFS entries
 * @vf_lock: protects @vfs (every field of struct cdna_vf but its counters,
 *	     @hw), @num_vfs changes, @mbx_busy, @removing,
 *	     @mc_hash/@mc_count/@rx_flags, @pf_vlans, @uc_rars, @vlan_strip,
 *	     @rttbcnrc, the writes of @link_up/@link_speed (the service work
 *	     is their only writer; ethtool reads them unlocked for display),
 *	     the netdev's dev_addr as the filters see it, and every register
 *	     shared between PF and VFs (RAR, MTA, VLVF, VFTA, VMOLR, RPLOLR,
 *	     VMVIR, VFRE, VFTE, DTXSWC, RTT*, CTRL, RCTL, MBVFIMR, MBVFICR,
 *	     VFLRE) and the mailbox registers.  Lock order: RTNL, then the
 *	     guard's per-context lock (vmm_guard), then @vf_lock, then
 *	     @vf_stats_lock; nothing that sleeps long (MDIC polls, queue
 *	     drains) runs under it
 * @mbx_busy: VFs whose request waits for the buffer (VF holds VFU)
 * @removing: the contexts are being removed: no VM may take one (under
 *	@vf_lock)
 * @release_wq: woken when a VM lets go of a context
 * @mc_hash: the PF netdev's multicast hashes
 * @mc_count: entries in @mc_hash (or 0 with IFF_ALLMULTI)
 * @rx_flags: IFF_PROMISC / IFF_ALLMULTI of the PF netdev
 * @pf_vlans: VLANs of the PF netdev (NETIF_F_HW_VLAN_CTAG_FILTER)
 * @uc_rars: RAR entries holding VFs' extra unicast filters
 * @vlan_strip: the PF's pool strips VLAN tags (NETIF_F_HW_VLAN_CTAG_RX)
 * @an_restart: autonegotiation was restarted (ethtool -r): the service
 *	work reports the link down once before it follows STATUS.LU again
 * @rttbcnrc: shadow of the write-only RTTBCNRC per TX queue (ethtool -d)
 * @vf_stats_lock: protects every context's @hw counters (struct cdna_vf)
 * @phy_lock: serialises MDIC (PHY register) accesses, which poll for
 *	milliseconds and so are kept out of @vf_lock
 * @stats_lock: protects @hw_stats
 * @hw_stats: MAC counters
 * @sysfs: the "cdna" directory under the PCI device
 * @wq: ordered workqueue for the works below
 * @mbx_work: serves VF mailboxes and VF resets
 * @service_work: link, counters, mailbox poll; every 2 s
 * @rx_mode_work: applies the PF's rx mode (set_rx_mode runs atomic)
 * @reset_work: restarts the data path after a TX timeout
 * @irq_other: Linux IRQ of the other-cause vector
 * @irq_queue: Linux IRQ of the queue vector
 * @eitr: interrupt throttle (EITR register value)
 * @fw_version: the NVM version as ethtool -i shows it (igb's format)
 * @nvm_ver: its version part, for devlink ("fw")
 * @nvm_etrack: its eTrack ID, 0 when none ("fw.bundle_id")
 * @devlink: the PF's devlink instance
 * @mbx_reporter: the "mbx" health reporter, or NULL (under @vf_lock)
 * @health_work: reports @health_pending outside @vf_lock
 * @health_pending: contexts throttled since the last report (under
 *	@vf_lock)
 * @health_event: their counters when they were (under @vf_lock)
 */
struct cdna_pf {
	struct pci_dev *pdev;
	struct net_device *netdev;
	struct cdna_hw hw;
	u8 perm_addr[ETH_ALEN];

	struct cdna_ring tx;
	struct cdna_ring rx;
	struct napi_struct napi;
	u16 tx_count;
	u16 rx_count;
	bool up;

	bool link_up;
	u32 link_speed;

	int num_vfs;
	struct cdna_vf vfs[CDNA_MAX_VFS];
	struct mutex vf_lock;		/* see @vf_lock above */
	unsigned long mbx_busy;
	bool removing;
	wait_queue_head_t release_wq;
	u16 mc_hash[CDNA_MTA_REGS * 32 / 16];
	unsigned int mc_count;
	unsigned int rx_flags;
	unsigned long pf_vlans[BITS_TO_LONGS(VLAN_N_VID)];
	DECLARE_BITMAP(uc_rars, CDNA_RAR_ENTRIES);
	bool vlan_strip;
	atomic_t an_restart;
	u32 rttbcnrc[CDNA_NUM_QUEUES];

	spinlock_t vf_stats_lock;	/* protects vfs[].hw */
	struct mutex phy_lock;		/* serialises MDIC accesses */
	spinlock_t stats_lock;		/* protects @hw_stats */
	struct cdna_hw_stats hw_stats;

	struct kobject *sysfs;
	struct workqueue_struct *wq;
	struct delayed_work mbx_work;
	struct delayed_work service_work;
	struct work_struct rx_mode_work;
	struct work_struct reset_work;

	int irq_other;
	int irq_queue;
	u32 eitr;

	char fw_version[32];
	char nvm_ver[16];
	u32 nvm_etrack;
	struct devlink *devlink;
	struct devlink_health_reporter *mbx_reporter;
	struct work_struct health_work;
	unsigned long health_pending;
	struct cdna_mbx_event health_event[CDNA_MAX_VFS];
};

/**
 * cdna_vf_cts - whether a VF is clear to send (reset done, link not disabled)
 * @v: the VF
 *
 * Return: true when the VF may use its context.
 */
static inline bool cdna_vf_cts(const struct cdna_vf *v)
{
	return v->reset_done && v->link_state != IFLA_VF_LINK_STATE_DISABLE;
}

/**
 * cdna_vf_held_down - the host disabled a VF that completed its reset
 * @v: the VF
 *
 * Its driver is served (requests applied, answers without CTS) but its
 * link is down and its pool closed.
 *
 * Return: true when so.
 */
static inline bool cdna_vf_held_down(const struct cdna_vf *v)
{
	return v->reset_done && v->link_state == IFLA_VF_LINK_STATE_DISABLE;
}

/* A disabled context's queued frames get this long to drain. */
#define CDNA_TX_GRACE		(3 * HZ)

/* Register access (pf_hw.c) */
u32 cdna_rd32(struct cdna_hw *hw, u32 reg);
void cdna_wr32(struct cdna_hw *hw, u32 reg, u32 val);
void cdna_rmw32(struct cdna_hw *hw, u32 reg, u32 clear, u32 set);
void cdna_flush(struct cdna_hw *hw);

/* PCI driver (pf_pci.c) */
struct cdna_pf *cdna_pf_of(struct pci_dev *vfdev, int *vf);

/* Hardware bring-up and filters (pf_hw.c) */
int cdna_hw_reset(struct cdna_pf *pf);
int cdna_hw_read_mac(struct cdna_pf *pf, u8 *mac);
int cdna_hw_nvm_read(struct cdna_pf *pf, u16 word, u16 *data);

/* pf_devlink.c */
void cdna_nvm_version(struct cdna_pf *pf);
int cdna_devlink_init(struct cdna_pf *pf);
void cdna_devlink_fini(struct cdna_pf *pf);
void cdna_mbx_event_fill(struct cdna_pf *pf, int vf, struct cdna_mbx_event *e);
void cdna_mbx_health_event(struct cdna_pf *pf, int vf);
int cdna_hw_phy_setup(struct cdna_pf *pf);
bool cdna_hw_link(struct cdna_pf *pf, u32 *speed);
void cdna_hw_init_irq(struct cdna_pf *pf);
void cdna_hw_irq_enable(struct cdna_pf *pf);
void cdna_hw_irq_disable(struct cdna_pf *pf);
u16 cdna_pf_pool(const struct cdna_pf *pf);
u16 cdna_pf_queue(const struct cdna_pf *pf);
void cdna_hw_set_rar(struct cdna_pf *pf, unsigned int idx, const u8 *mac,
		     u16 pool);
void cdna_hw_write_mta(struct cdna_pf *pf);
void cdna_hw_pf_rx_filters(struct cdna_pf *pf);
void cdna_hw_vmdq_setup(struct cdna_pf *pf);
int cdna_hw_vlvf_set(struct cdna_pf *pf, u16 vid, u16 pool, bool on);
int cdna_hw_pf_vlan(struct cdna_pf *pf, u16 vid, bool on);
void cdna_hw_update_stats(struct cdna_pf *pf);

/* Rings and NAPI (pf_txrx.c) */
int cdna_rings_alloc(struct cdna_pf *pf);
void cdna_rings_free(struct cdna_pf *pf);
void cdna_rings_configure(struct cdna_pf *pf);
void cdna_rings_disable(struct cdna_pf *pf);
void cdna_rings_clean(struct cdna_pf *pf);
int cdna_napi_poll(struct napi_struct *napi, int budget);
netdev_tx_t cdna_xmit(struct sk_buff *skb, struct net_device *netdev);
irqreturn_t cdna_queue_irq(int irq, void *data);

/* Netdev (pf_netdev.c) */
int cdna_netdev_create(struct cdna_pf *pf);
void cdna_netdev_destroy(struct cdna_pf *pf);
int cdna_up(struct cdna_pf *pf);
void cdna_down(struct cdna_pf *pf);
void cdna_check_link(struct cdna_pf *pf);
irqreturn_t cdna_other_irq(int irq, void *data);
void cdna_service_work(struct work_struct *work);
void cdna_rx_mode_work(struct work_struct *work);
void cdna_reset_work(struct work_struct *work);
extern const struct net_device_ops cdna_netdev_ops;

/* SR-IOV and the host's ndo_set_vf_* (pf_sriov.c) */
int cdna_sriov_configure(struct pci_dev *pdev, int num_vfs);
void cdna_sriov_remove(struct cdna_pf *pf);
void cdna_sriov_disable(struct cdna_pf *pf);
int cdna_ndo_set_vf_mac(struct net_device *netdev, int vf, u8 *mac);
int cdna_ndo_set_vf_vlan(struct net_device *netdev, int vf, u16 vlan, u8 qos,
			 __be16 proto);
int cdna_ndo_set_vf_spoofchk(struct net_device *netdev, int vf, bool on);
int cdna_ndo_set_vf_trust(struct net_device *netdev, int vf, bool on);
int cdna_ndo_set_vf_rate(struct net_device *netdev, int vf, int min_rate,
			 int max_rate);
int cdna_ndo_set_vf_link_state(struct net_device *netdev, int vf, int state);
int cdna_ndo_get_vf_config(struct net_device *netdev, int vf,
			   struct ifla_vf_info *ivi);
int cdna_ndo_get_vf_stats(struct net_device *netdev, int vf,
			  struct ifla_vf_stats *vf_stats);

/* Contexts (pf_vf.c; what only pf_sriov.c and pf_mbx.c use: pf_vf.h) */
void cdna_vf_policy(const struct cdna_vf *v, struct cdna_ctx_policy *pol);
void cdna_vf_reset_state(struct cdna_pf *pf, int vf, bool flr);
void cdna_vf_apply(struct cdna_pf *pf, int vf);
void cdna_vf_update_stats(struct cdna_pf *pf);
bool cdna_vf_enabled(const struct cdna_pf *pf, int vf);
void cdna_vf_rate_update(struct cdna_pf *pf);
void cdna_vf_tx_grace_end(struct cdna_pf *pf);
unsigned int cdna_vf_uc_quota(const struct cdna_pf *pf);
unsigned int cdna_vf_vlan_quota(const struct cdna_pf *pf);
/* cdna_mac_hold() holders: a VF index, or one of these */
#define CDNA_MAC_OWNER_NONE	(-1)
#define CDNA_MAC_OWNER_PF	(-2)
enum cdna_mac_hold cdna_mac_hold(struct cdna_pf *pf, const u8 *mac, int self,
				 int *holder);
bool cdna_vf_has_uc(const struct cdna_vf *v, const u8 *mac);
int cdna_vf_uc_add(struct cdna_pf *pf, int vf, const u8 *mac);
void cdna_vf_uc_clear(struct cdna_pf *pf, int vf);
void cdna_mac_evict(struct cdna_pf *pf, const u8 *mac, int keep);

/* Mailbox server (pf_mbx.c) */
void cdna_mbx_work(struct work_struct *work);
void cdna_mbx_ping_vf(struct cdna_pf *pf, int vf);
void cdna_mbx_ping_all(struct cdna_pf *pf);

/* ethtool (pf_ethtool.c) */
extern const struct ethtool_ops cdna_ethtool_ops;

/* sysfs (pf_sysfs.c) */
int cdna_sysfs_init(struct cdna_pf *pf);
void cdna_sysfs_fini(struct cdna_pf *pf);
int cdna_sysfs_add_vfs(struct cdna_pf *pf);
void cdna_sysfs_del_vfs(struct cdna_pf *pf);

#endif /* _CDNA_PF_H_ */
