/* The ffctl subcommands; main.c dispatches to these by name. */
#ifndef FFCTL_CLI_CMDS_H
#define FFCTL_CLI_CMDS_H

#include "cli/cli_util.h"

extern const cli_cmd cli_cmd_dev;       /* cmd_dev.c */
extern const cli_cmd cli_cmd_submit;    /* cmd_submit.c */
extern const cli_cmd cli_cmd_describe;  /* cmd_describe.c */
extern const cli_cmd cli_cmd_result;    /* cmd_read.c */
extern const cli_cmd cli_cmd_list;      /* cmd_read.c */
extern const cli_cmd cli_cmd_lanes;     /* cmd_read.c */
extern const cli_cmd cli_cmd_stats;     /* cmd_stats.c */
extern const cli_cmd cli_cmd_quarantined; /* cmd_quarantine.c */
extern const cli_cmd cli_cmd_cancel;    /* cmd_admin.c */
extern const cli_cmd cli_cmd_replay;    /* cmd_admin.c */
extern const cli_cmd cli_cmd_priority;  /* cmd_admin.c */
extern const cli_cmd cli_cmd_revoke;    /* cmd_admin.c */
extern const cli_cmd cli_cmd_claim_resumed; /* cmd_admin.c */
extern const cli_cmd cli_cmd_grant_claim;   /* cmd_admin.c */
extern const cli_cmd cli_cmd_signal;          /* cmd_signal.c */
extern const cli_cmd cli_cmd_suspended;       /* cmd_signal.c */
extern const cli_cmd cli_cmd_waitpoints;      /* cmd_signal.c */
extern const cli_cmd cli_cmd_waitpoint_token; /* cmd_signal.c */
extern const cli_cmd cli_cmd_secret;          /* cmd_signal.c */
extern const cli_cmd cli_cmd_flow;      /* cmd_flow.c */
extern const cli_cmd cli_flow_follow;   /* cmd_flow_follow.c: the "flow follow" subcommand */
extern const cli_cmd cli_cmd_budget;    /* cmd_budget.c */
extern const cli_cmd cli_cmd_quota;     /* cmd_quota.c */
extern const cli_cmd cli_cmd_lane;      /* cmd_lane.c */
extern const cli_cmd cli_cmd_group;     /* cmd_quota.c */
extern const cli_cmd cli_cmd_logs;      /* cmd_logs.c */
extern const cli_cmd cli_cmd_summary;   /* cmd_logs.c */
extern const cli_cmd cli_cmd_worker;    /* cmd_worker.c */
extern const cli_cmd cli_cmd_workers;   /* cmd_workers.c */
extern const cli_cmd cli_cmd_engine;    /* cmd_engine.c */
extern const cli_cmd cli_cmd_serve;     /* cmd_serve.c */
extern const cli_cmd cli_cmd_demo;      /* cmd_demo.c */
extern const cli_cmd cli_cmd_version;   /* main.c */

/* Shared by stats and demo: one row per lane with the nine per-state counts
 * from ff_lane_counts. Prints a table of @p lanes, or with @p json the
 * member "lanes":{...} (no enclosing braces, no newline).
 * Returns CLI_OK or CLI_EOP (error already printed). */
int cli_print_lane_counts(ff_client *c, const char *const *lanes, size_t nlanes, int json, int indent);

#endif
