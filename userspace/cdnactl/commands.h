/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdnactl's commands, one file per group: cmd_list.c (list, stats),
 * cmd_ctx.c (create, destroy, set), cmd_vm.c (attach, detach), cmd_hook.c
 * (hook), cmd_conf.c (save, restore).  Each gets its own argv (argv[0] is
 * the command's name) and returns the exit status.  What several of them
 * do with a context: ctx.c, and mode.c (which of the guard's drivers has
 * it).
 */
#ifndef CDNA_COMMANDS_H
#define CDNA_COMMANDS_H

#include <getopt.h>

#include "cdnactl.h"
#include "lock.h"
#include "nl.h"
#include "sysfs.h"

int cmd_list(int argc, char **argv, const struct cdna_opts *o);
int cmd_stats(int argc, char **argv, const struct cdna_opts *o);
int cmd_create(int argc, char **argv, const struct cdna_opts *o);
int cmd_destroy(int argc, char **argv, const struct cdna_opts *o);
int cmd_set(int argc, char **argv, const struct cdna_opts *o);
int cmd_attach(int argc, char **argv, const struct cdna_opts *o);
int cmd_detach(int argc, char **argv, const struct cdna_opts *o);
int cmd_hook(int argc, char **argv, const struct cdna_opts *o);
int cmd_save(int argc, char **argv, const struct cdna_opts *o);
int cmd_restore(int argc, char **argv, const struct cdna_opts *o);
int cmd_claim(int argc, char **argv, const struct cdna_opts *o);

int cdna_help(const char *cmd, int code);
int cdna_help_shown(const char *cmd, int opt);

/* An option parser's answer after --help: print nothing more, exit 0. */
#define CDNA_HELP_SHOWN		(-1)

/* The options every command takes. */
#define CDNA_HELP_OPTION	{ "help", no_argument, NULL, 'h' }

/**
 * struct cdna_snap - the contexts with what rtnetlink says of them
 * @topo: PFs and contexts (sysfs)
 * @info: per context (topo.ctx order): policy and counters
 * @has_info: per context: @info is valid (the PF answered)
 */
struct cdna_snap {
	struct cdna_topo topo;
	struct cdna_vf_info *info;
	bool *has_info;
};

int cdna_snap_load(struct cdna_snap *s, struct cdna_nl *nl);
void cdna_snap_free(struct cdna_snap *s);
int cdna_read_policy(struct cdna_nl *nl, const struct cdna_topo *t,
		     const struct cdna_topo_ctx *c, struct cdna_policy *pol);
int cdna_apply(struct cdna_nl *nl, const struct cdna_topo *t,
	       const struct cdna_topo_ctx *c, const struct cdna_policy *pol,
	       unsigned int *applied);
void cdna_undo(struct cdna_nl *nl, const struct cdna_topo *t,
	       const struct cdna_topo_ctx *c, const struct cdna_policy *old,
	       unsigned int applied);
int cdna_check_rate(const struct cdna_topo_pf *pf,
		    const struct cdna_policy *pol);
const char *cdna_ctx_name(const struct cdna_topo *t,
			  const struct cdna_topo_ctx *c, char *buf, size_t len);
int cdna_set_owner(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		   const char *owner);
int cdna_parse_timeout(const char *s, unsigned int *secs);
int cdna_check_owner(const char *name, char owner[CDNA_OWNER_LEN]);
int cdna_wait_free(struct cdna_topo_ctx *c, double deadline);
double cdna_now(void);
void cdna_nap(unsigned int ms);
int cdna_run(char *const argv[], unsigned int timeout_s);

/**
 * struct cdna_mode_undo - what cdna_ctx_set_mode() changed, to put back
 * @driver: the context's driver before: "", or one of the guard's
 * @mdev: its mediated device before, "" for none
 * @created: the mediated device cdna_ctx_set_mode() created, "" for none
 * @rebound: the context changed drivers
 */
struct cdna_mode_undo {
	char driver[CDNA_DRIVER_LEN];
	char mdev[CDNA_UUID_LEN];
	char created[CDNA_UUID_LEN];
	bool rebound;
};

const char *cdna_mode_blocker(const struct cdna_topo_ctx *c, char *buf,
			      size_t len);
int cdna_ctx_set_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		      enum cdna_mode mode, const char *uuid,
		      struct cdna_mode_undo *u);
void cdna_ctx_undo_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
			struct cdna_mode_undo *u);

#endif /* CDNA_COMMANDS_H */
