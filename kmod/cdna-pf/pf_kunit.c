// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the PF's filter allocators against the real structures:
 * the VLVF table (VLAN filters shared between pools) and the RAR entries
 * for the VFs' extra unicast filters.  The register window is plain memory
 * standing in for BAR0, so each test reads back what the allocator wrote
 * where the NIC would see it.  And the descriptor ring arithmetic both
 * drivers share (cdna_desc.h): slots free across every wrap, and the
 * descriptors real socket buffers take.
 *
 * Built into cdna_pf.ko only for the lab's debug kernel (make
 * modules-debug sets CDNA_KUNIT); the suites run when the module loads.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/etherdevice.h>
#include <linux/skbuff.h>

#include "pf.h"
#include "pf_vf.h"

#define PF_KUNIT_BAR_SIZE	SZ_128K

static int pf_kunit_init(struct kunit *test)
{
	struct cdna_pf *pf;
	void *bar;

	pf = kunit_kzalloc(test, sizeof(*pf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pf);
	bar = kunit_kzalloc(test, PF_KUNIT_BAR_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bar);
	pf->hw.addr = (u8 __iomem __force *)bar;
	mutex_init(&pf->vf_lock);
	test->priv = pf;
	return 0;
}

static u32 reg(struct cdna_pf *pf, u32 off)
{
	return cdna_rd32(&pf->hw, off);
}

static int vlvf_of(struct cdna_pf *pf, u16 vid)
{
	int i;

	for (i = 0; i < CDNA_VLVF_ENTRIES; i++) {
		u32 v = reg(pf, CDNA_VLVF(i));

		if ((v & CDNA_VLVF_EN) && FIELD_GET(CDNA_VLVF_VID, v) == vid)
			return i;
	}
	return -1;
}

static int vlvf_used(struct cdna_pf *pf)
{
	int i, n = 0;

	for (i = 0; i < CDNA_VLVF_ENTRIES; i++)
		n += !!(reg(pf, CDNA_VLVF(i)) & CDNA_VLVF_EN);
	return n;
}

static bool vfta_has(struct cdna_pf *pf, u16 vid)
{
	return reg(pf, CDNA_VFTA(vid / 32)) & BIT(vid % 32);
}

/* Two pools on one VLAN share its entry; it goes with the last of them. */
static void vlvf_shared_entry(struct kunit *test)
{
	struct cdna_pf *pf = test->priv;
	int idx;

	pf->num_vfs = 2;
	mutex_lock(&pf->vf_lock);
	KUNIT_EXPECT_EQ(test, cdna_vf_vlan_request(pf, 0, 100, true), 0);
	KUNIT_EXPECT_EQ(test, cdna_vf_vlan_request(pf, 1, 100, true), 0);
	idx = vlvf_of(pf, 100);
	KUNIT_EXPECT_GE(test, idx, 0);
	if (idx < 0) {		/* no assertion may leave vf_lock held */
		mutex_unlock(&pf->vf_lock);
		return;
	}
	KUNIT_EXPECT_EQ(test, vlvf_used(pf), 1);
	KUNIT_EXPECT_EQ(test, FIELD_GET(CDNA_VLVF_POOLSEL,
					reg(pf, CDNA_VLVF(idx))), 0x3U);
	KUNIT_EXPECT_TRUE(test, vfta_has(pf, 100));

	/* Asking again changes nothing: requests are idempotent. */
	KUNIT_EXPECT_EQ(test, cdna_vf_vlan_request(pf, 0, 100, true), 0);
	KUNIT_EXPECT_EQ(test, pf->vfs[0].nr_vlans, 1);

	KUNIT_EXPECT_EQ(test, cdna_vf_vlan_request(pf, 0, 100, false), 0);
	KUNIT_EXPECT_EQ(test, FIELD_GET(CDNA_VLVF_POOLSEL,
					reg(pf, CDNA_VLVF(idx))), 0x2U);
	KUNIT_EXPECT_TRUE(test, vfta_has(pf, 100));
	KUNIT_EXPECT_EQ(test, cdna_vf_vlan_request(pf, 1, 100, false), 0);
	KUNIT_EXPECT_EQ(test, vlvf_of(pf, 100), -1);
	KUNIT_EXPECT_EQ(test, vlvf_used(pf), 0);
	KUNIT_EXPECT_FALSE(test, vfta_has(pf, 100));
	mutex_unlock(&pf->vf_lock);
}

/* Every VF of 7 gets exactly its share, whatever the others asked for. */
static void vlvf_share_per_vf(struct kunit *test)
{
	struct cdna_pf *pf = test->priv;
	unsigned int share;
	int vf, i;

	pf->num_vfs = CDNA_MAX_VFS;
	share = cdna_vf_vlan_quota(pf);
	KUNIT_ASSERT_GT(test, share, 0U);
	KUNIT_EXPECT_LE(test, share * pf->num_vfs + pf->num_vfs,
			(unsigned int)CDNA_VLVF_ENTRIES);
	mutex_lock(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		u16 vid = 200 + vf * 16;

		for (i = 0; i < share; i++)
			KUNIT_EXPECT_EQ(test,
					cdna_vf_vlan_request(pf, vf, vid + i, true), 0);
		KUNIT_EXPECT_EQ(test,
				cdna_vf_vlan_request(pf, vf, vid + share, true),
				-ENOSPC);
		KUNIT_EXPECT_EQ(test, pf->vfs[vf].nr_vlans, share);
	}
	KUNIT_EXPECT_EQ(test, vlvf_used(pf), (int)(share * pf->num_vfs));
	/* What is left over is enough for a port VLAN on every context. */
	KUNIT_EXPECT_GE(test, CDNA_VLVF_ENTRIES - vlvf_used(pf), pf->num_vfs);
	mutex_unlock(&pf->vf_lock);
}

/* A full table refuses a new VLAN and writes nothing. */
static void vlvf_full(struct kunit *test)
{
	struct cdna_pf *pf = test->priv;
	u32 before[CDNA_VLVF_ENTRIES];
	int i;

	pf->num_vfs = 2;
	mutex_lock(&pf->vf_lock);
	for (i = 0; i < CDNA_VLVF_ENTRIES; i++)
		KUNIT_EXPECT_EQ(test, cdna_hw_vlvf_set(pf, 1000 + i, 0, true), 0);
	for (i = 0; i < CDNA_VLVF_ENTRIES; i++)
		before[i] = reg(pf, CDNA_VLVF(i));
	KUNIT_EXPECT_EQ(test, cdna_hw_vlvf_set(pf, 2000, 1, true), -ENOSPC);
	for (i = 0; i < CDNA_VLVF_ENTRIES; i++)
		KUNIT_EXPECT_EQ(test, reg(pf, CDNA_VLVF(i)), before[i]);
	KUNIT_EXPECT_FALSE(test, vfta_has(pf, 2000));
	/* Removing a pool from a VLAN it never joined is a no-op. */
	KUNIT_EXPECT_EQ(test, cdna_hw_vlvf_set(pf, 2000, 1, false), 0);
	/* A pool joining a VLAN that has an entry still works. */
	KUNIT_EXPECT_EQ(test, cdna_hw_vlvf_set(pf, 1000, 1, true), 0);
	mutex_unlock(&pf->vf_lock);
}

static void mac_of(u8 *mac, int vf, int i)
{
	u8 m[ETH_ALEN] = { 0x02, 0xcd, 0x4b, 0x00, vf, i };

	ether_addr_copy(mac, m);
}

static bool rar_is(struct cdna_pf *pf, unsigned int idx, const u8 *mac,
		   int pool)
{
	u32 lo = reg(pf, cdna_ral(idx)), hi = reg(pf, cdna_rah(idx));

	if (!mac)
		return !(hi & CDNA_RAH_AV);
	return (hi & CDNA_RAH_AV) &&
	       FIELD_GET(CDNA_RAH_POOL, hi) == BIT(pool) &&
	       lo == (mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24) &&
	       FIELD_GET(CDNA_RAH_ADDR, hi) == (mac[4] | mac[5] << 8);
}

/*
 * Extra unicast filters: a VF's share of the free RAR entries, each in an
 * entry of its own between the PF's (0) and the VFs' own, steering to the
 * VF's pool; cleared entries are free for the next.
 */
static void rar_share_and_clear(struct kunit *test)
{
	struct cdna_pf *pf = test->priv;
	unsigned int quota, i, rar;
	u8 mac[ETH_ALEN];
	int vf;

	pf->num_vfs = 2;
	quota = cdna_vf_uc_quota(pf);
	KUNIT_ASSERT_EQ(test, quota, (unsigned int)CDNA_VF_MAX_UC);
	mutex_lock(&pf->vf_lock);
	for (vf = 0; vf < 2; vf++) {
		for (i = 0; i < quota; i++) {
			mac_of(mac, vf, i);
			KUNIT_EXPECT_EQ(test, cdna_vf_uc_add(pf, vf, mac), 0);
		}
		mac_of(mac, vf, quota);
		KUNIT_EXPECT_EQ(test, cdna_vf_uc_add(pf, vf, mac), -ENOSPC);
		/* One it has already: no second entry. */
		mac_of(mac, vf, 0);
		KUNIT_EXPECT_EQ(test, cdna_vf_uc_add(pf, vf, mac), 0);
		KUNIT_EXPECT_EQ(test, pf->vfs[vf].nr_uc, (int)quota);
	}
	KUNIT_EXPECT_EQ(test, bitmap_weight(pf->uc_rars, CDNA_RAR_ENTRIES),
			2 * quota);
	KUNIT_EXPECT_FALSE(test, test_bit(0, pf->uc_rars));
	for (vf = 0; vf < 2; vf++)
		for (i = 0; i < pf->vfs[vf].nr_uc; i++) {
			rar = pf->vfs[vf].uc[i].rar;
			KUNIT_EXPECT_GE(test, rar, 1U);
			KUNIT_EXPECT_LT(test, rar,
					(unsigned int)(CDNA_RAR_ENTRIES - pf->num_vfs));
			KUNIT_EXPECT_TRUE(test, rar_is(pf, rar,
						       pf->vfs[vf].uc[i].mac, vf));
		}

	rar = pf->vfs[0].uc[0].rar;
	cdna_vf_uc_clear(pf, 0);
	KUNIT_EXPECT_EQ(test, pf->vfs[0].nr_uc, 0);
	KUNIT_EXPECT_TRUE(test, rar_is(pf, rar, NULL, 0));
	KUNIT_EXPECT_EQ(test, bitmap_weight(pf->uc_rars, CDNA_RAR_ENTRIES),
			quota);
	mac_of(mac, 0, 9);
	KUNIT_EXPECT_EQ(test, cdna_vf_uc_add(pf, 0, mac), 0);
	KUNIT_EXPECT_TRUE(test, rar_is(pf, pf->vfs[0].uc[0].rar, mac, 0));
	cdna_vf_uc_clear(pf, 0);
	cdna_vf_uc_clear(pf, 1);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(pf->uc_rars, CDNA_RAR_ENTRIES));
	mutex_unlock(&pf->vf_lock);
}

/* With every context enabled the shares still fit the free entries. */
static void rar_seven_fit(struct kunit *test)
{
	struct cdna_pf *pf = test->priv;
	unsigned int quota, i;
	u8 mac[ETH_ALEN];
	int vf;

	pf->num_vfs = CDNA_MAX_VFS;
	quota = cdna_vf_uc_quota(pf);
	KUNIT_ASSERT_GT(test, quota, 0U);
	mutex_lock(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		for (i = 0; i < quota; i++) {
			mac_of(mac, vf, i);
			KUNIT_EXPECT_EQ(test, cdna_vf_uc_add(pf, vf, mac), 0);
		}
		mac_of(mac, vf, quota);
		KUNIT_EXPECT_EQ(test, cdna_vf_uc_add(pf, vf, mac), -ENOSPC);
	}
	/* The VFs' own entries (23 - n for VF n) were never taken. */
	for (i = CDNA_RAR_ENTRIES - pf->num_vfs; i < CDNA_RAR_ENTRIES; i++)
		KUNIT_EXPECT_FALSE(test, test_bit(i, pf->uc_rars));
	for (vf = 0; vf < pf->num_vfs; vf++)
		cdna_vf_uc_clear(pf, vf);
	mutex_unlock(&pf->vf_lock);
}

static struct kunit_case cdna_pf_filter_cases[] = {
	KUNIT_CASE(vlvf_shared_entry),
	KUNIT_CASE(vlvf_share_per_vf),
	KUNIT_CASE(vlvf_full),
	KUNIT_CASE(rar_share_and_clear),
	KUNIT_CASE(rar_seven_fit),
	{}
};

static struct kunit_suite cdna_pf_filter_suite = {
	.name = "cdna_pf_filters",
	.init = pf_kunit_init,
	.test_cases = cdna_pf_filter_cases,
};

/* The slots from @ntc to @ntu, counted one step at a time. */
static unsigned int ring_used_walk(u16 ntc, u16 ntu, u16 count)
{
	unsigned int n = 0;

	for (; ntc != ntu; ntc = cdna_ring_next(ntc, count))
		n++;
	return n;
}

static void ring_next_wraps(struct kunit *test)
{
	static const u16 counts[] = { 1, 2, 8, 256, 4096 };
	unsigned int c;
	u16 i;

	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		for (i = 0; i + 1 < counts[c]; i++)
			KUNIT_EXPECT_EQ(test, cdna_ring_next(i, counts[c]), i + 1);
		KUNIT_EXPECT_EQ(test, cdna_ring_next(counts[c] - 1, counts[c]), 0);
	}
}

/* Every (next_to_clean, next_to_use) of small rings, against a walk. */
static void ring_unused_every_position(struct kunit *test)
{
	static const u16 counts[] = { 2, 3, 8, 16 };
	unsigned int c;
	u16 ntc, ntu, n;

	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		n = counts[c];
		for (ntc = 0; ntc < n; ntc++)
			for (ntu = 0; ntu < n; ntu++)
				KUNIT_EXPECT_EQ_MSG(test, cdna_ring_unused(ntc, ntu, n),
						    n - 1 - ring_used_walk(ntc, ntu, n),
						    "count %u ntc %u ntu %u", n, ntc, ntu);
	}
}

/*
 * A driver's ring from starts across it: filled while a slot is free, it holds
 * count - 1 descriptors and stops one short of next_to_clean; cleaned, it
 * is empty again.  Large rings too (the 82576 takes up to 4096).
 */
static void ring_fill_and_clean(struct kunit *test)
{
	static const u16 counts[] = { 8, 256, 4096 };
	unsigned int c, filled;
	u16 n, start, ntc, ntu;

	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		n = counts[c];
		for (start = 0; start < n; start += n > 8 ? n / 8 - 1 : 1) {
			ntc = start;
			ntu = start;
			KUNIT_EXPECT_EQ(test, cdna_ring_unused(ntc, ntu, n), n - 1);
			for (filled = 0; cdna_ring_unused(ntc, ntu, n) && filled < n;
			     filled++)
				ntu = cdna_ring_next(ntu, n);
			KUNIT_EXPECT_EQ(test, filled, n - 1);
			KUNIT_EXPECT_EQ(test, cdna_ring_next(ntu, n), ntc);
			while (ntc != ntu)
				ntc = cdna_ring_next(ntc, n);
			KUNIT_EXPECT_EQ(test, cdna_ring_unused(ntc, ntu, n), n - 1);
		}
	}
}

static void desc_page_put(void *page)
{
	put_page(page);
}

/* An skb with @head linear bytes and fragments of @frag bytes each. */
static struct sk_buff *desc_skb(struct kunit *test, struct page *page,
				unsigned int head, const unsigned int *frag,
				unsigned int nr)
{
	struct sk_buff *skb = alloc_skb(head, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, head);
	for (i = 0; i < nr; i++) {
		/* Counted, never read: one page stands for every fragment. */
		get_page(page);
		skb_fill_page_desc(skb, i, page, 0, frag[i]);
		skb->len += frag[i];
		skb->data_len += frag[i];
	}
	return skb;
}

static void tx_desc_count_skbs(struct kunit *test)
{
	static const unsigned int mixed[] = {
		4096, CDNA_TXD_MAX_DATA, CDNA_TXD_MAX_DATA + 1
	};
	unsigned int big[MAX_SKB_FRAGS], i;
	struct sk_buff *skb;
	struct page *page;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* The page goes back even when an assertion ends the case early. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, desc_page_put, page), 0);

	skb = desc_skb(test, page, 60, NULL, 0);
	KUNIT_EXPECT_EQ(test, cdna_tx_desc_count(skb), 2);
	kfree_skb(skb);

	/* One fragment just over a data descriptor's limit: two of them. */
	skb = desc_skb(test, page, 54, &mixed[2], 1);
	KUNIT_EXPECT_EQ(test, cdna_tx_desc_count(skb), 4);
	kfree_skb(skb);

	/* 54-byte head, then 1 + 1 + 2 data descriptors, and the context. */
	skb = desc_skb(test, page, 54, mixed, ARRAY_SIZE(mixed));
	KUNIT_EXPECT_EQ(test, cdna_tx_desc_count(skb), 6);
	kfree_skb(skb);

	/* A full skb of 64 KiB fragments: two data descriptors each. */
	for (i = 0; i < MAX_SKB_FRAGS; i++)
		big[i] = 2 * CDNA_TXD_MAX_DATA;
	skb = desc_skb(test, page, 54, big, MAX_SKB_FRAGS);
	KUNIT_EXPECT_EQ(test, cdna_tx_desc_count(skb), 2 * MAX_SKB_FRAGS + 2);
	kfree_skb(skb);

	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
}

static struct kunit_case cdna_ring_cases[] = {
	KUNIT_CASE(ring_next_wraps),
	KUNIT_CASE(ring_unused_every_position),
	KUNIT_CASE(ring_fill_and_clean),
	KUNIT_CASE(tx_desc_count_skbs),
	{}
};

static struct kunit_suite cdna_ring_suite = {
	.name = "cdna_rings",
	.test_cases = cdna_ring_cases,
};

kunit_test_suites(&cdna_pf_filter_suite, &cdna_ring_suite);
