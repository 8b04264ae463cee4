// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-open: open a PCI function through VFIO the way QEMU does (group,
 * container, IOMMU type, a DMA mapping, device fd), for lab tests of the
 * guard that need no guest.
 *
 *   vfio-open DEV            open, print "opened", close, exit 0
 *   vfio-open DEV hold       open, print "opened", wait until killed
 *
 * With no IOMMU (a vfio noiommu group) it uses the noiommu container.
 * Exit status: 0 opened, 3 the device open was refused (the errno is
 * printed as "refused: <errno name>: <message>"), 1 any other failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define DMA_SIZE (1 << 20)

static int fail(const char *what)
{
	fprintf(stderr, "vfio-open: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char path[512], link[512];
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	int container, group, device, type;
	bool noiommu = false;
	ssize_t n;
	void *mem;

	if (argc < 2) {
		fprintf(stderr, "usage: vfio-open DEV [hold]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 argv[1]);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return fail(path);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	group = open(path, O_RDWR);
	if (group < 0) {
		snprintf(path, sizeof(path), "/dev/vfio/noiommu-%s",
			 basename(link));
		group = open(path, O_RDWR);
		noiommu = true;
	}
	if (group < 0)
		return fail("open group");

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		return fail("open /dev/vfio/vfio");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		return fail("VFIO_GROUP_SET_CONTAINER");
	type = noiommu ? VFIO_NOIOMMU_IOMMU : VFIO_TYPE1v2_IOMMU;
	if (ioctl(container, VFIO_SET_IOMMU, type))
		return fail("VFIO_SET_IOMMU");
	if (!noiommu) {
		mem = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			return fail("mmap");
		map.vaddr = (unsigned long)mem;
		map.size = DMA_SIZE;
		map.iova = 0;
		map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
			return fail("VFIO_IOMMU_MAP_DMA");
	}

	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	if (device < 0) {
		printf("refused: %s: %s\n", strerrorname_np(errno),
		       strerror(errno));
		return 3;
	}
	printf("opened %s%s\n", argv[1], noiommu ? " (noiommu)" : "");
	fflush(stdout);
	if (argc > 2 && !strcmp(argv[2], "hold"))
		for (;;)
			pause();
	close(device);
	return 0;
}
