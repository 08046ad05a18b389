/*
 * The health sections of `ffctl stats` (also shown by `ffctl demo`): lease
 * totals over every partition, and the live engines with their sweep
 * counters (from the server's engine heartbeat registry).
 */
#ifndef FFCTL_CLI_HEALTH_H
#define FFCTL_CLI_HEALTH_H

#include <flowfabric.h>

/* Leases held over all partitions (ZCARD of each partition's lease-expiry
 * index) and how many of them are overdue (expired but not yet swept).
 * json: prints the member `"leases":{...}` (no braces around it). Returns
 * CLI_OK or CLI_EOP (error printed). */
int cli_print_leases(ff_client *c, int json, int indent);

/* Live engines (ff_engine_list): id, owned partitions (derived from the
 * live set exactly as the engines derive it), sweeps, last heartbeat age,
 * counters. json: prints the members `"engines":[...],"ownership":{...}`. */
int cli_print_engines(ff_client *c, int json, int indent);

#endif
