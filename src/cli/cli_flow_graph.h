/*
 * The DAG of one flow, read from its ff_flow_describe document, for
 * `ffctl flow graph`: members in topological layers (roots are layer 0, any
 * other member is 1 + the highest layer of its upstreams), rendered as text
 * or as a Graphviz digraph. Kept apart from cmd_flow.c because the layering
 * and the two renderings are one job, independent of the client calls.
 */
#ifndef FFCTL_CLI_FLOW_GRAPH_H
#define FFCTL_CLI_FLOW_GRAPH_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_flow_graph cli_flow_graph;

/* Build from the describe document (the strings stay owned by @p doc, which
 * must outlive the graph). NULL when out of memory or the document has no
 * "members" array. Edges naming a non-member are kept for display but do
 * not take part in the layering. */
cli_flow_graph *cli_flow_graph_new(json_t *doc);
void cli_flow_graph_free(cli_flow_graph *g);

/* One line per member, in (layer, id) order: layer, full id, public state,
 * "<- UP(edge state)" per incoming edge (UP shortened to a suffix that is
 * unique within the flow) and the group policy when it is not all_of. */
void cli_flow_graph_text(const cli_flow_graph *g, FILE *f);
/* A Graphviz digraph: one node per member (short id and state, filled by
 * state), one edge per flow edge (styled by edge state; bold and labelled
 * "data" when it passes data). */
void cli_flow_graph_dot(const cli_flow_graph *g, const char *flow_id, FILE *f);
/* {"flow_id", "members":[{"execution_id","public_state","layer",
 * "upstreams":[{"execution_id","edge_id","state","data_passing"}],
 * "group":{...}|null}]} in the text order. */
void cli_flow_graph_json(const cli_flow_graph *g, const char *flow_id, FILE *f);

#endif
