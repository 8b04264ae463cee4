// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation decision for IOMMU-mode contexts.  A VM that owns a context
 * can make it DMA anywhere its IOMMU domain lets it: that is only safe
 * when the domain belongs to this context alone (no other device shares
 * the group, so no other device's DMA or peer-to-peer traffic shares the
 * translation) and the IOMMU really translates.
 */
#include "cdna_isolation.h"

/**
 * cdna_iso_decide - may a context be opened by a VM
 * @f: the facts
 * @reason: set to a sentence saying what is wrong, or NULL when isolated
 *
 * Isolated means all of: a group of its own, DMA translated by the VM's
 * domain, MSIs isolated.  A function opened through iommufd is refused:
 * its IOAS is attached after the open, where the guard could check it, so
 * the guard supports the VFIO group/container path only.  The worst
 * reason is reported.  The override never hides the reason: a tainted
 * verdict carries it.
 *
 * Return: CDNA_ISO_OK, CDNA_ISO_TAINTED or CDNA_ISO_REFUSED.
 */
enum cdna_iso_verdict cdna_iso_decide(const struct cdna_iso_facts *f,
				      const char **reason)
{
	const char *why = NULL;

	if (!f->has_group)
		why = "no IOMMU group (no IOMMU, or DMA remapping disabled)";
	else if (f->iommufd)
		why = "opened through iommufd (cdev or compat container): use type1";
	else if (!f->dma_translated)
		why = "DMA remapping is not active (identity or passthrough domain)";
	else if (f->group_devices != 1)
		why = "its IOMMU group holds other devices";
	else if (!f->msi_isolated)
		why = "its MSIs are not isolated (no interrupt remapping)";

	*reason = why;
	if (!why)
		return CDNA_ISO_OK;
	return f->override ? CDNA_ISO_TAINTED : CDNA_ISO_REFUSED;
}
