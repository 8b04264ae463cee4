/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types and helpers that the pure-C files in kmod/include/
 * use, so that the same files build into the modules and into the
 * userspace unit tests.
 */
#ifndef _CDNA_COMPAT_H_
#define _CDNA_COMPAT_H_

#ifdef __KERNEL__
#include <asm/byteorder.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define BIT(n)			(1UL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define FIELD_GET(mask, reg)	(((reg) & (mask)) >> __builtin_ctzl(mask))
#define FIELD_PREP(mask, val)	(((unsigned long)(val) << __builtin_ctzl(mask)) & (mask))
#define FIELD_MAX(mask)		((mask) >> __builtin_ctzl(mask))
#define cpu_to_le16(x)		htole16(x)
#define cpu_to_le32(x)		htole32(x)
#define cpu_to_le64(x)		htole64(x)
#define le16_to_cpu(x)		le16toh(x)
#define le32_to_cpu(x)		le32toh(x)
#define le64_to_cpu(x)		le64toh(x)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* _CDNA_COMPAT_H_ */
