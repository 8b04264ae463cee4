/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a context may be handed to a VM in IOMMU mode: the decision,
 * as plain C over facts the guard gathers, so it is unit-tested.
 */
#ifndef _CDNA_ISOLATION_H_
#define _CDNA_ISOLATION_H_

#include "cdna_compat.h"

/**
 * struct cdna_iso_facts - what the guard knows about a context's isolation
 * @has_group: the function has an IOMMU group
 * @group_devices: number of devices in that group (the context included)
 * @dma_translated: the IOMMU translates the function's DMA (no identity
 *	or bypass domain, DMA remapping enabled)
 * @msi_isolated: the platform isolates the function's MSIs (interrupt
 *	remapping, or an MSI controller that tells devices apart): without it
 *	a VM can forge any interrupt by DMA to the MSI window (VFIO's
 *	allow_unsafe_interrupts lets such a group be used)
 * @iommufd: the VMM opened the function through iommufd, which attaches
 *	the VM's IOAS only after the open: translation cannot be judged then
 * @override: the administrator loaded the guard with
 *	allow_unsafe_isolation=1
 */
struct cdna_iso_facts {
	bool has_group;
	unsigned int group_devices;
	bool dma_translated;
	bool msi_isolated;
	bool iommufd;
	bool override;
};

enum cdna_iso_verdict {
	CDNA_ISO_OK,		/* isolated */
	CDNA_ISO_TAINTED,	/* not isolated, allowed by the override */
	CDNA_ISO_REFUSED,	/* not isolated */
};

enum cdna_iso_verdict cdna_iso_decide(const struct cdna_iso_facts *f,
				      const char **reason);

#endif /* _CDNA_ISOLATION_H_ */
