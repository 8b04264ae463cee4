// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl: list, create, configure, assign, hot-plug and release CDNA
 * contexts, show their statistics, keep them across reboots, and serve as
 * the libvirt qemu hook.  See cdnactl.8.
 *
 *   cdnactl [-c URI] COMMAND [ARGS...]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "conf.h"

/**
 * cdna_err - say what went wrong on stderr
 * @code: the exit status that goes with it
 * @fmt: printf format of the message
 *
 * Return: @code.
 */
int cdna_err(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("cdnactl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/**
 * cdna_warn - a remark on stderr that does not change the exit status
 * @fmt: printf format of the message
 */
void cdna_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("cdnactl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct cdna_opts *o);
	const char *synopsis;
	const char *help;
};

static const struct command commands[] = {
	{ "list", cmd_list, "list [-j]",
	  "Every context of every PF driven by cdna_pf: PF, number, VF, guard mode\n"
	  "(iommu, sw), state (free, assigned, scrubbing, quarantined, host:DRIVER),\n"
	  "owner, policy and counters; under a context in sw mode, a line with its\n"
	  "mediated device and the guard's counters (descriptors validated and\n"
	  "refused, pages pinned, RX buffers bounced, TX buffers split).\n"
	  "  -j, --json     a JSON array of objects, like ip -j (\"sw\": the sw line)\n" },
	{ "stats", cmd_stats, "stats [-w SECONDS] [-c COUNT] [-j]",
	  "Packet and byte rates of every context, refreshed like top.\n"
	  "  -w, --wait SECONDS   interval (default 1)\n"
	  "  -c, --count COUNT    samples, 0 = until interrupted (default 0)\n"
	  "  -j, --json           one JSON array per sample, one per line\n" },
	{ "create", cmd_create, "create PF N [--autoprobe]",
	  "Create N contexts on PF (netdev or PCI address) through sriov_numvfs.\n"
	  "A PF that has contexts must be destroyed first (the kernel's rule).\n"
	  "New contexts stay unbound (free): sriov_drivers_autoprobe is set to 0.\n"
	  "  --autoprobe    let drivers take the new contexts as they appear\n" },
	{ "destroy", cmd_destroy, "destroy PF [--force]",
	  "Remove every context of PF.  Refused while a context is assigned to a\n"
	  "VM, reserved for a domain, quarantined or held by a host driver.\n"
	  "  --force        remove contexts held by host drivers, reserved or\n"
	  "                 quarantined ones too (never one a VM holds)\n" },
	{ "set", cmd_set, "set CTX SETTING VALUE...",
	  "Change a context's policy or mode; every setting is checked before any\n"
	  "is applied, and a setting the kernel refuses puts back the ones before it.\n"
	  "CTX is the VF's PCI address or PF/N.  Settings:\n"
	  "  mac MAC | vlan VLAN [qos QOS] | trust on|off | spoofchk on|off |\n"
	  "  state auto|enable|disable | rate MBPS | mode iommu|sw\n"
	  "mode binds the context to vmm_guard (iommu) or vmm_guard_sw (sw, with\n"
	  "its mediated device, UUID cd0a0000-DDDD-80BB-8SSF-N from the PF's address\n"
	  "and N); only while it is free; nothing to do if it is in that mode.\n" },
	{ "attach", cmd_attach,
	  "attach DOMAIN [--pf PF] [--mode iommu|sw] [--mac MAC] [--vlan VLAN] [--config]",
	  "Give a free context to a running domain: apply MAC/VLAN, put it in the\n"
	  "mode (vmm_guard, or vmm_guard_sw and its mediated device), record the\n"
	  "domain as owner, hot-plug it as a managed='no' hostdev (type='pci', or\n"
	  "type='mdev' in sw mode).  Any failure puts everything back.\n"
	  "  --pf PF        take the context from PF\n"
	  "  --mode MODE    iommu (default) or sw: a context in that mode or unbound\n"
	  "  --mac MAC      --vlan VLAN   policy to apply first\n"
	  "  --config       also add it to the persistent definition\n" },
	{ "detach", cmd_detach, "detach DOMAIN [CTX] [--timeout S] [--config]",
	  "Hot-unplug a context (PCI hostdev or mediated device) from a running\n"
	  "domain, wait until the guest let it go and the guard scrubbed it, clear\n"
	  "its owner.\n"
	  "  --timeout S    wait at most S seconds (default 60)\n"
	  "  --config       also remove it from the persistent definition\n" },
	{ "hook", cmd_hook, "hook [--timeout S] qemu|network NAME OP SUBOP [EXTRA]",
	  "The libvirt qemu hook (domain XML on stdin): prepare begin binds the\n"
	  "domain's contexts to vmm_guard (PCI hostdevs) or vmm_guard_sw with their\n"
	  "mediated device (mdev hostdevs) and records the owner, release end\n"
	  "waits for their scrub and clears it; other operations do nothing.\n"
	  "The network hook (<hookData> on stdin) does the same for the context\n"
	  "a <forward mode='hostdev'> network gives a port: port-created begin,\n"
	  "port-deleted begin.\n"
	  "  --timeout S    release: wait at most S seconds (default 30)\n" },
	{ "save", cmd_save, "save [--conf FILE]",
	  "Write every PF's contexts and their policy to FILE\n"
	  "(default $CDNACTL_CONF, else " CDNA_CONF_DEFAULT ").\n" },
	{ "restore", cmd_restore, "restore [--conf FILE] [--pf PF]",
	  "Create the contexts saved in FILE and apply their policy (all PFs, or\n"
	  "PF only), and put those the file gives a mode in that mode (bound to\n"
	  "the guard, waiting for a VM).  The whole file is checked first;\n"
	  "nothing changes on error.\n" },
	{ "claim", cmd_claim, "claim [--test] [--conf FILE] PF",
	  "Give the 82576 PF (PCI address) to cdna_pf: driver_override, the module\n"
	  "loaded, unbound from igb or whichever driver has it, bound to cdna_pf.\n"
	  "On failure it goes back to its driver.  At boot, 90-cdna.rules does\n"
	  "this for every PF the configuration file names.\n"
	  "  --test         change nothing: exit 0 when FILE (default $CDNACTL_CONF,\n"
	  "                 else " CDNA_CONF_DEFAULT ") names PF and it is an\n"
	  "                 82576 PF, else 1 (udev's PROGRAM)\n"
	  "  --conf FILE    the configuration file\n" },
};

#define NR_COMMANDS	ARRAY_SIZE(commands)

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int main_usage(int code)
{
	FILE *f = code ? stderr : stdout;
	size_t i;

	fprintf(f, "usage: cdnactl [-c URI] COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].synopsis);
	fprintf(f, "\n  -c, --connect URI   libvirt URI (default $LIBVIRT_DEFAULT_URI, else qemu:///system)\n"
		   "cdnactl COMMAND --help, and cdnactl(8), say more.\n");
	return code;
}

/**
 * cdna_help - a command's help: on stdout when asked (@code 0), on
 *	stderr after a usage error
 * @cmd: the command's name
 * @code: the exit status to return
 *
 * Return: @code.
 */
int cdna_help(const char *cmd, int code)
{
	const struct command *c = find_command(cmd);
	FILE *f = code ? stderr : stdout;

	if (!c)
		return main_usage(code);
	fprintf(f, "usage: cdnactl %s\n\n%s", c->synopsis, c->help);
	return code;
}

/**
 * cdna_help_shown - a command's option parser met an option of its own
 *	it does not know, or --help
 * @cmd: the command's name
 * @opt: getopt's answer: 'h' for --help
 *
 * Return: CDNA_HELP_SHOWN after --help (help on stdout), CDNA_EX_USAGE
 * otherwise (help on stderr).
 */
int cdna_help_shown(const char *cmd, int opt)
{
	if (opt != 'h')
		return cdna_help(cmd, CDNA_EX_USAGE);
	cdna_help(cmd, 0);
	return CDNA_HELP_SHOWN;
}

static const struct option main_options[] = {
	{ "connect", required_argument, NULL, 'c' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

int main(int argc, char **argv)
{
	struct cdna_opts o = { 0 };
	const struct command *cmd;
	int opt;

	while ((opt = getopt_long(argc, argv, "+c:h", main_options, NULL)) != -1) {
		if (opt == 'c')
			o.uri = optarg;
		else
			return main_usage(opt == 'h' ? 0 : CDNA_EX_USAGE);
	}
	if (optind >= argc)
		return main_usage(CDNA_EX_USAGE);
	if (!strcmp(argv[optind], "help"))
		return optind + 1 < argc ? cdna_help(argv[optind + 1], 0) : main_usage(0);
	cmd = find_command(argv[optind]);
	if (!cmd) {
		cdna_err(CDNA_EX_USAGE, "unknown command '%s'", argv[optind]);
		return main_usage(CDNA_EX_USAGE);
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start afresh for the command's options */
	return cmd->run(argc, argv, &o);
}
