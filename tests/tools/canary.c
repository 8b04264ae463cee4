// SPDX-License-Identifier: GPL-2.0
/*
 * canary: pages of host memory a hostile guest must never reach.  Run as
 * root (pagemap gives page frame numbers to root only):
 *
 *   canary hold PAGES FILE
 *
 * maps PAGES anonymous pages, locks them, fills each with 16-byte records
 * "cdna-canary-NNNN" (NNNN: the page's index in hex), writes their host
 * physical addresses to FILE (one "0x..." a line, written whole, then
 * renamed into place) and prints "ready: ...".  On SIGUSR1 it checks the
 * pages and prints a "check:" line; on SIGTERM or SIGINT it checks them a
 * last time, prints "canary: pages=N changed_bytes=N moved=N" and exits 0
 * if every byte is as written and every page is still at the physical
 * address it gave, 1 if not.  A frame on the wire that carries canary
 * bytes shows "cdna-canary-" followed by four hex digits.
 *
 * Exit status: 0 unchanged, 1 changed (or a page moved, or a setup
 * failure), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE		4096u
#define RECORD		16u
#define MAX_PAGES	4096u

static volatile sig_atomic_t got_usr1, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static void fill(uint8_t *p, unsigned int npages)
{
	char rec[RECORD + 1];
	unsigned int i, j;

	for (i = 0; i < npages; i++) {
		snprintf(rec, sizeof(rec), "cdna-canary-%04x", i & 0xffff);
		for (j = 0; j < PAGE; j += RECORD)
			memcpy(p + (size_t)i * PAGE + j, rec, RECORD);
	}
}

/* Bytes of the pages that differ from the pattern. */
static size_t changed(const uint8_t *p, unsigned int npages)
{
	char rec[RECORD + 1];
	unsigned int i, j, k;
	size_t n = 0;

	for (i = 0; i < npages; i++) {
		snprintf(rec, sizeof(rec), "cdna-canary-%04x", i & 0xffff);
		for (j = 0; j < PAGE; j += RECORD)
			for (k = 0; k < RECORD; k++)
				n += p[(size_t)i * PAGE + j + k] != (uint8_t)rec[k];
	}
	return n;
}

static uint64_t pfn_of(int fd, const void *va)
{
	uint64_t e;
	off_t off = (off_t)((uintptr_t)va / PAGE * sizeof(e));

	if (pread(fd, &e, sizeof(e), off) != sizeof(e) || !(e >> 63))
		return 0;
	return e & ((1ull << 55) - 1);
}

/* The pages' pfns into @pfn; false if one is not known (not root?). */
static bool pfns(const uint8_t *p, unsigned int npages, uint64_t *pfn)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	unsigned int i;
	bool ok = true;

	if (fd < 0)
		return false;
	for (i = 0; i < npages; i++) {
		pfn[i] = pfn_of(fd, p + (size_t)i * PAGE);
		ok &= pfn[i] != 0;
	}
	close(fd);
	return ok;
}

static int usage(void)
{
	fprintf(stderr, "usage: canary hold PAGES FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int npages, i, moved;
	uint64_t *pfn, *now;
	char tmp[4096];
	size_t bad;
	uint8_t *p;
	FILE *f;

	if (argc != 4 || strcmp(argv[1], "hold"))
		return usage();
	npages = strtoul(argv[2], NULL, 0);
	if (!npages || npages > MAX_PAGES)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	p = mmap(NULL, (size_t)npages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		printf("FAIL: mmap: %s\n", strerror(errno));
		return 1;
	}
	madvise(p, (size_t)npages * PAGE, MADV_NOHUGEPAGE);
	if (mlock(p, (size_t)npages * PAGE)) {
		printf("FAIL: mlock: %s\n", strerror(errno));
		return 1;
	}
	fill(p, npages);
	pfn = calloc(npages, sizeof(*pfn));
	now = calloc(npages, sizeof(*now));
	if (!pfn || !now || !pfns(p, npages, pfn)) {
		printf("FAIL: no page frame numbers from /proc/self/pagemap (root?)\n");
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[3]);
	f = fopen(tmp, "w");
	if (!f) {
		printf("FAIL: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	for (i = 0; i < npages; i++)
		fprintf(f, "0x%" PRIx64 "\n", pfn[i] * PAGE);
	if (fclose(f) || rename(tmp, argv[3])) {
		printf("FAIL: writing %s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	printf("ready: %u pages locked, physical 0x%" PRIx64 " .. 0x%" PRIx64 "\n",
	       npages, pfn[0] * PAGE, pfn[npages - 1] * PAGE);

	for (;;) {
		while (!got_usr1 && !got_term)
			pause();
		bad = changed(p, npages);
		moved = 0;
		if (!pfns(p, npages, now))
			moved = npages;
		else
			for (i = 0; i < npages; i++)
				moved += now[i] != pfn[i];
		if (got_term)
			break;
		got_usr1 = 0;
		printf("check: changed_bytes=%zu moved=%u\n", bad, moved);
	}
	printf("canary: pages=%u changed_bytes=%zu moved=%u\n", npages, bad, moved);
	return bad || moved ? 1 : 0;
}
