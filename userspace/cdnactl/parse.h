/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers of the values cdnactl takes on its command line and in its
 * configuration file.  Plain C, no library: unit-tested.
 *
 * Each returns 0, or -EINVAL with *why set to a static sentence saying
 * what is wrong with the value (the caller names the value).
 */
#ifndef CDNA_PARSE_H
#define CDNA_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdna_sysfs_abi.h"
#include "cdnactl.h"

#define CDNA_PCI_LEN	13	/* "0000:01:10.0" and its NUL */
#define CDNA_NAME_LEN	16	/* a netdev name and its NUL (IFNAMSIZ) */
#define CDNA_MAC_LEN	18	/* "52:54:00:cd:00:01" and its NUL */
#define CDNA_VLAN_MAX	4094
#define CDNA_QOS_MAX	7
#define CDNA_RATE_MAX	100000	/* Mbit/s; the PF's link speed is checked later */
#define CDNA_UUID_LEN	37	/* "cd0a0000-0000-8001-8000-000000000002" and its NUL */

__printf(4, 5)
int cdna_say(int code, char *err, size_t errlen, const char *fmt, ...);
int cdna_parse_uint(const char *s, unsigned long max, unsigned long *val,
		    const char **why);
int cdna_parse_mac(const char *s, uint8_t mac[6], const char **why);
void cdna_format_mac(const uint8_t mac[6], char buf[CDNA_MAC_LEN]);
bool cdna_mac_is_zero(const uint8_t mac[6]);
int cdna_parse_vlan(const char *s, unsigned int *vlan, const char **why);
int cdna_parse_qos(const char *s, unsigned int *qos, const char **why);
int cdna_parse_rate(const char *s, unsigned int *rate, const char **why);
int cdna_parse_state(const char *s, int *state, const char **why);
const char *cdna_state_name(int state);
int cdna_parse_onoff(const char *s, bool *on, const char **why);

int cdna_parse_pci(const char *s, char out[CDNA_PCI_LEN], const char **why);
int cdna_format_pci(unsigned long domain, unsigned long bus,
		    unsigned long slot, unsigned long function,
		    char out[CDNA_PCI_LEN], const char **why);
int cdna_parse_pf_name(const char *s, char out[CDNA_NAME_LEN],
		       const char **why);
int cdna_parse_owner(const char *s, char out[CDNA_OWNER_LEN],
		     const char **why);
const char *cdna_quote(const char *s, char *buf, size_t len);

/**
 * struct cdna_ctx_spec - a context as named on the command line
 * @by_pf: named as PF/N (else by the VF's PCI address)
 * @pf: the PF's netdev name or PCI address (by_pf)
 * @index: N (by_pf)
 * @vf: the VF's PCI address, normalized (!by_pf)
 */
struct cdna_ctx_spec {
	bool by_pf;
	char pf[CDNA_NAME_LEN];
	unsigned int index;
	char vf[CDNA_PCI_LEN];
};

int cdna_parse_ctx_spec(const char *s, struct cdna_ctx_spec *spec,
			const char **why);

/* How the guard protects a context: its two PCI drivers (cdna_sysfs_abi.h). */
enum cdna_mode {
	CDNA_MODE_IOMMU,	/* vmm_guard: VFIO PCI, the IOMMU confines DMA */
	CDNA_MODE_SW,		/* vmm_guard_sw: a mediated device, every descriptor validated */
};

int cdna_parse_mode(const char *s, enum cdna_mode *mode, const char **why);
const char *cdna_mode_name(enum cdna_mode mode);
const char *cdna_mode_driver(enum cdna_mode mode);

int cdna_parse_uuid(const char *s, char out[CDNA_UUID_LEN], const char **why);
int cdna_ctx_uuid(const char *pf_pci, unsigned int index,
		  char out[CDNA_UUID_LEN]);
int cdna_uuid_ctx(const char *uuid, char pf_pci[CDNA_PCI_LEN],
		  unsigned int *index);

#endif /* CDNA_PARSE_H */
