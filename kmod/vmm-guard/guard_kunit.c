// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the ledger's state machine (guard_ledger.c), the part
 * both protection modes share when a VM opens and releases a context:
 * free -> assigned -> scrubbing -> free, or quarantined when the context
 * could not be stopped or scrubbed, and a quarantined context refused
 * until it is rebound.  The PF's context operations are a fake that
 * records each call and fails the ones a test asks it to, so each case
 * checks both the ledger and what the PF was asked to do, in order.
 *
 * Built into vmm_guard.ko only for the lab's debug kernel (make
 * modules-debug sets CDNA_KUNIT); the suite runs when the module loads.
 */

#include <kunit/test.h>
#include <linux/pci.h>

#include "guard.h"

/* What the fake PF saw and what it answers. */
struct fake_pf {
	char calls[128];	/* "hold/scrub/release..." */
	char owner[GUARD_OWNER_LEN];	/* the last owner name given */
	int hold_ret;
	int scrub_ret;
	int scrubs_ok;		/* scrubs that succeed before scrub_ret */
};

/* The one fake the ops below reach; KUnit runs a suite's cases in turn. */
static struct fake_pf *fake;

static void fake_call(const char *what)
{
	if (fake->calls[0])
		strlcat(fake->calls, "/", sizeof(fake->calls));
	strlcat(fake->calls, what, sizeof(fake->calls));
}

static int fake_index(struct pci_dev *vf)
{
	return 3;
}

static int fake_quiesce(struct pci_dev *vf)
{
	fake_call("quiesce");
	return 0;
}

static int fake_scrub(struct pci_dev *vf)
{
	fake_call("scrub");
	if (fake->scrubs_ok > 0) {
		fake->scrubs_ok--;
		return 0;
	}
	return fake->scrub_ret;
}

static int fake_hold(struct pci_dev *vf, const char *owner)
{
	fake_call("hold");
	strscpy(fake->owner, owner, sizeof(fake->owner));
	return fake->hold_ret;
}

static void fake_release(struct pci_dev *vf)
{
	fake_call("release");
}

static int fake_set_owner(struct pci_dev *vf, const char *owner)
{
	fake_call("set_owner");
	strscpy(fake->owner, owner, sizeof(fake->owner));
	return 0;
}

static const struct cdna_ctx_ops fake_ops = {
	.index = fake_index,
	.quiesce = fake_quiesce,
	.scrub = fake_scrub,
	.hold = fake_hold,
	.release = fake_release,
	.set_owner = fake_set_owner,
};

static int ledger_kunit_init(struct kunit *test)
{
	struct guard_ledger *led;
	struct pci_dev *pdev;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	led = kunit_kzalloc(test, sizeof(*led), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, led);
	/* Only named in log lines: a device with no bus, named for them. */
	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	pdev->dev.init_name = "kunit-ledger";
	guard_ledger_init(led, pdev, &fake_ops, 3);
	test->priv = led;
	return 0;
}

static void ledger_kunit_exit(struct kunit *test)
{
	/* KUnit calls this even when the init failed. */
	if (test->priv)
		guard_ledger_destroy(test->priv);
	fake = NULL;
}

/* An open as the modes do it: the hold, then (their enabling) opened. */
static int open_ctx(struct guard_ledger *led)
{
	int ret = guard_ledger_hold(led);

	if (!ret)
		guard_ledger_opened(led);
	return ret;
}

/* A release as the modes do it, the mode's stop returning @stop_ret. */
static void close_ctx(struct kunit *test, struct guard_ledger *led,
		      int stop_ret)
{
	guard_ledger_closing(led);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_SCRUBBING);
	guard_ledger_closed(led, ktime_get_ns(), stop_ret);
}

/* free -> assigned -> free: scrubbed at open and at release, owner gone. */
static void ledger_open_close(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	KUNIT_EXPECT_EQ(test, led->state, GUARD_FREE);
	KUNIT_ASSERT_EQ(test, open_ctx(led), 0);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_ASSIGNED);
	KUNIT_EXPECT_EQ(test, led->owner_pid, task_tgid_nr(current));
	KUNIT_EXPECT_STREQ(test, led->owner_comm, current->comm);
	KUNIT_EXPECT_STREQ(test, fake->owner, current->comm);
	KUNIT_EXPECT_NE(test, led->since, 0);

	close_ctx(test, led, 0);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_FREE);
	KUNIT_EXPECT_EQ(test, led->scrubs, 1);
	KUNIT_EXPECT_EQ(test, led->owner_pid, 0);
	KUNIT_EXPECT_STREQ(test, led->owner_comm, "");
	KUNIT_EXPECT_EQ(test, led->since, 0);
	KUNIT_EXPECT_NULL(test, led->quarantine_why);
	KUNIT_EXPECT_STREQ(test, fake->calls, "hold/scrub/scrub/release");

	/* The next VM gets it the same way. */
	fake->calls[0] = '\0';
	KUNIT_ASSERT_EQ(test, open_ctx(led), 0);
	close_ctx(test, led, 0);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_FREE);
	KUNIT_EXPECT_EQ(test, led->scrubs, 2);
	KUNIT_EXPECT_STREQ(test, fake->calls, "hold/scrub/scrub/release");
}

/* A name the admin wrote before the open is what the PF shows. */
static void ledger_owner_name(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	strscpy(led->owner, "vm-a", sizeof(led->owner));
	KUNIT_ASSERT_EQ(test, open_ctx(led), 0);
	KUNIT_EXPECT_STREQ(test, fake->owner, "vm-a");
	KUNIT_EXPECT_STREQ(test, fake->calls, "hold/scrub/set_owner");
	close_ctx(test, led, 0);
	/* The name was this VM's: the next one starts without it. */
	KUNIT_EXPECT_STREQ(test, led->owner, "");
}

/* The mode could not stop the context's DMA: no scrub, quarantined. */
static void ledger_stop_fails(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	KUNIT_ASSERT_EQ(test, open_ctx(led), 0);
	fake->calls[0] = '\0';
	close_ctx(test, led, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_QUARANTINED);
	KUNIT_EXPECT_NOT_NULL(test, led->quarantine_why);
	KUNIT_EXPECT_STREQ(test, fake->calls, "release");
	KUNIT_EXPECT_EQ(test, led->owner_pid, 0);
	KUNIT_EXPECT_EQ(test, led->scrubs, 1);
}

/* The scrub at release fails: quarantined, and refused from then on. */
static void ledger_scrub_fails(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	fake->scrubs_ok = 1;	/* the one at open */
	fake->scrub_ret = -EIO;
	KUNIT_ASSERT_EQ(test, open_ctx(led), 0);
	close_ctx(test, led, 0);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_QUARANTINED);
	KUNIT_ASSERT_NOT_NULL(test, led->quarantine_why);
	KUNIT_EXPECT_STREQ(test, led->quarantine_why, "its scrub failed");

	/* Refused without asking the PF anything, and counted. */
	fake->calls[0] = '\0';
	fake->scrub_ret = 0;
	KUNIT_EXPECT_EQ(test, open_ctx(led), -EIO);
	KUNIT_EXPECT_EQ(test, led->refused_opens, 1);
	KUNIT_EXPECT_STREQ(test, fake->calls, "");
	KUNIT_EXPECT_EQ(test, led->state, GUARD_QUARANTINED);
}

/* The PF refuses the hold (it is removing its contexts): nothing held. */
static void ledger_hold_refused(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	fake->hold_ret = -EBUSY;
	KUNIT_EXPECT_EQ(test, open_ctx(led), -EBUSY);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_FREE);
	KUNIT_EXPECT_EQ(test, led->owner_pid, 0);
	KUNIT_EXPECT_STREQ(test, fake->calls, "hold");
}

/* The scrub before the open fails: the hold is given back, still free. */
static void ledger_open_scrub_fails(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	fake->scrub_ret = -EIO;
	KUNIT_EXPECT_EQ(test, open_ctx(led), -EIO);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_FREE);
	KUNIT_EXPECT_STREQ(test, fake->calls, "hold/scrub/release");

	fake->scrub_ret = 0;
	fake->calls[0] = '\0';
	KUNIT_EXPECT_EQ(test, open_ctx(led), 0);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_ASSIGNED);
}

/*
 * Quarantined while assigned (a VM past sw_refused_limit): the state says
 * so at once, the release still scrubs, the context stays quarantined
 * with the first reason.
 */
static void ledger_quarantine_assigned(struct kunit *test)
{
	struct guard_ledger *led = test->priv;

	KUNIT_ASSERT_EQ(test, open_ctx(led), 0);
	guard_ledger_quarantine(led, "first reason");
	KUNIT_EXPECT_EQ(test, led->state, GUARD_QUARANTINED);
	guard_ledger_quarantine(led, "second reason");
	fake->calls[0] = '\0';
	close_ctx(test, led, 0);
	KUNIT_EXPECT_EQ(test, led->state, GUARD_QUARANTINED);
	KUNIT_ASSERT_NOT_NULL(test, led->quarantine_why);
	KUNIT_EXPECT_STREQ(test, led->quarantine_why, "first reason");
	KUNIT_EXPECT_STREQ(test, fake->calls, "scrub/release");
	KUNIT_EXPECT_EQ(test, led->owner_pid, 0);
	KUNIT_EXPECT_EQ(test, open_ctx(led), -EIO);
}

static struct kunit_case ledger_cases[] = {
	KUNIT_CASE(ledger_open_close),
	KUNIT_CASE(ledger_owner_name),
	KUNIT_CASE(ledger_stop_fails),
	KUNIT_CASE(ledger_scrub_fails),
	KUNIT_CASE(ledger_hold_refused),
	KUNIT_CASE(ledger_open_scrub_fails),
	KUNIT_CASE(ledger_quarantine_assigned),
	{}
};

static struct kunit_suite ledger_suite = {
	.name = "vmm_guard_ledger",
	.init = ledger_kunit_init,
	.exit = ledger_kunit_exit,
	.test_cases = ledger_cases,
};

kunit_test_suite(ledger_suite);
