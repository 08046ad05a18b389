/* Helpers shared by the operation modules. */
#ifndef FF_OPS_INT_H
#define FF_OPS_INT_H

#include "client/client_int.h"
#include "core/ids.h"
#include "proto/functions.h"
#include "proto/keys.h"
#include "flowfabric.h"

/* A claimed execution (ff_claim): its layout is the ops layer's; the
 * generic op frees the claims it holds through op->claim_free, which the
 * op that fills them sets to ff__claim_free. */
struct ff_claim {
    char *execution_id;
    uint32_t attempt_index;
    char *attempt_id;
    char *attempt_type;
    char *lease_id;
    uint64_t lease_epoch;
    int64_t expires_at;
    int64_t lease_ttl_ms;
    char *payload;
    size_t payload_len;
    char *kind;
    char *lane;
    char *ns;
    char *worker_instance_id;
};

void ff__claim_free(ff_claim *cl);

/* Start an op calling function @p fname with KEYS[1] = ff:e:<eid> and
 * ARGV[1] = eid. Returns NULL with *st set (FF_EINVAL for a malformed id,
 * FF_ENOMEM) on failure; on success *cmd receives the command to append
 * further ARGV to. */
ff_op *ff__exec_op(ff_client *c, const char *fname, const char *eid, ff__op_finish_fn fin, ff__cmd **cmd, int *st);

/* Finish of ff_result: the result bytes (ff_execution_result, and the last
 * step of ff_execution_wait). */
int ff__finish_result(ff_op *op);

/* Standard finish: fields after "OK" -> text (1st), ival (2nd, if numeric). */
int ff__finish_text(ff_op *op);

/* Lane index key (ff__key_lane) into out. */
void ff__lane_index_key(char *out, size_t cap, uint32_t partition, const char *lane, const char *index);

/* Map a public listing state name to the lane index name ("waiting" ->
 * "eligible"); NULL when unknown. */
const char *ff__state_index(const char *state);

/* Sorted, comma-joined copy of a capability list ("" when empty), the
 * canonical form the server matches on. NULL on OOM. Caller frees. */
char *ff__sorted_csv(char *const *caps, size_t n);
/* qsort comparator for an array of char* */
int ff__cmp_strp(const void *a, const void *b);

/* Append reply fields f[first..n) to the op's items (binary-safe lengths). */
int ff__take_items(ff_op *op, ff_rv *const *f, size_t n, size_t first);
/* A page request on one partition: a client, partition < ff_client_partitions,
 * count 1..1000; FF_OK or FF_EINVAL with the detail. */
int ff__check_page(ff_client *c, uint32_t partition, uint32_t count);

/* A read-only paged listing of one partition index (ff__key_pindex):
 * validates partition, numeric cursor ("" = "0") and count (1..1000), then
 * FCALL_RO fname 1 <key> cursor count; the reply {OK, next_cursor, items...}
 * fills ff_op_cursor() and the items. */
int ff__partition_page(ff_client *c, uint32_t partition, const char *index, const char *fname, const char *cursor,
                       uint32_t count, ff_op_cb cb, void *ud, ff_op **out);

/* A read-only page of a byte-ordered id index (the flow and budget
 * listings): FCALL_RO fname 1 <key> cursor count, whose reply {OK,
 * next_cursor, ids...} fills ff_op_cursor() and the items. The caller
 * validated partition, cursor and count. */
int ff__lex_page(ff_client *c, const char *key, const char *fname, const char *cursor, uint32_t count, ff_op_cb cb,
                 void *ud, ff_op **out);

/* Turn a FCALL command into FCALL_RO. */
void ff__cmd_readonly(ff__cmd *cmd);

/* Copy a string reply field (or "") */
char *ff__rv_strdup(const ff_rv *v);

ff_op *ff__suspend_build(ff_client *c, const ff_claim *cl, const ff_suspend_spec *s, int *st);
ff_op *ff__create_waitpoint_build(ff_client *c, const ff_claim *cl, const char *key, int64_t expires_in_ms,
                                  int *st);
ff_op *ff__observe_build(ff_client *c, const ff_claim *cl, int *st);
/* ff_flow_describe's finisher (also the last round of ff_flow_wait). */
int ff__finish_flow_describe(ff_op *op);
/* The feed page finisher and argument checks (ff_flow_feed_read, _wait). */
int ff__finish_flow_feed(ff_op *op);
int ff__check_feed_read(ff_client *c, uint32_t partition, const char *cursor, uint32_t count);
ff_op *ff__wait_children_build(ff_client *c, const ff_claim *cl, int64_t timeout_ms, const char *behavior, int *st);

ff_claim_opts *ff__claim_opts_clone(const ff_claim_opts *src);
const char *ff__claim_opts_instance(const ff_claim_opts *o);

/* Start an op calling @p fname with KEYS[1] = the claim's core and ARGV =
 * eid, lease_id, epoch, attempt_id (append the rest to *cmd). NULL + *st on
 * error (a NULL claim). */
ff_op *ff__fenced_op(ff_client *c, const ff_claim *cl, const char *fname, ff__op_finish_fn fin, ff__cmd **cmd,
                     int *st);
/* ff_stream_append's op (also ff_task_emit), and the same for a frame of
 * @p type and @p mode holding the C string @p text (ff_task_log, _summary). */
ff_op *ff__append_build(ff_client *c, const ff_claim *cl, const ff_frame *f, int *st);
ff_op *ff__append_text_build(ff_client *c, const ff_claim *cl, const char *type, const char *mode, const char *text,
                             int *st);

/* ff_budget_report_usage's op, built, not submitted (also ff_task_report_usage). */
ff_op *ff__report_usage_build(ff_client *c, const ff_claim *cl, const char *budget_id,
                              const char *const *dimensions, const int64_t *deltas, size_t n, const char *dedup_key,
                              int *st);

/* The worker registry's ops (workers.c), built, not submitted; NULL + *st
 * on error. The worker runtime registers, heartbeats and deregisters with
 * them; ff__worker_register_claimant takes id, instance, lanes and
 * capabilities from the worker's claim options (lease.c). */
ff_op *ff__worker_upsert_build(ff_client *c, const char *worker_id, const char *instance_id,
                              const char *const *lanes, size_t nlanes, const char *const *caps, size_t ncaps,
                              int64_t concurrency, int64_t ttl_ms, int *st);
ff_op *ff__worker_dead_build(ff_client *c, const char *worker_id, int *st);
ff_op *ff__worker_register_claimant(ff_client *c, const ff_claim_opts *o, int64_t concurrency, int64_t ttl_ms,
                                    int *st);
const char *ff__claim_opts_worker(const ff_claim_opts *o);

/* Build (without submitting) the lease operations; NULL + *st on error.
 * Used by the public wrappers and by the worker runtime (internal ops). */
ff_op *ff__claim_build(ff_client *c, const ff_claim_opts *o, int *st);
ff_op *ff__renew_build(ff_client *c, const ff_claim *cl, int *st);
ff_op *ff__progress_build(ff_client *c, const ff_claim *cl, int32_t percent, const char *message, int *st);
ff_op *ff__complete_build(ff_client *c, const ff_claim *cl, const void *result, size_t len, int *st);
ff_op *ff__fail_build(ff_client *c, const ff_claim *cl, const char *reason, const char *category, uint32_t flags,
                      int *st);
ff_op *ff__cancel_build(ff_client *c, const ff_claim *cl, const char *reason, int *st);
ff_op *ff__delay_build(ff_client *c, const ff_claim *cl, int64_t delay_until_ms, int *st);
/* The op's JSON result: takes @p o (FF_ENOMEM when NULL or on a failed
 * dump), so a finish function can end with `return ff__op_set_json(op, o)`. */
int ff__op_set_json(ff_op *op, json_t *o);
/* An integer reply value, 0 when it is not one (optional counters). */
int64_t ff__rv_i64_or0(const ff_rv *v);
ff_op *ff__rate_limited_build(ff_client *c, const ff_claim *cl, int64_t until_ms, int *st);
/* A group key: 1..128 bytes, no control bytes (optional: NULL/"" allowed). */
int ff__check_group(const char *group, int optional);
/* Lane-scoped calls (quota.c, lanes.c): one FCALL of @p fname per distinct
 * partition the lane's shards map to, KEYS[1] = the lane's eligible index
 * there, ARGV[1] = the lane; ff__each_cmd_* append one more argument to
 * every command. NULL on ENOMEM. */
#define FF__LANE_KEY_MAX 600
ff_op *ff__lane_op(ff_client *c, const char *lane, const char *fname, int readonly, ff__op_finish_fn fin);
void ff__each_cmd_str(ff_op *op, const char *s);
void ff__each_cmd_i64(ff_op *op, int64_t v);
/* The first page of a listing merged from every partition's page (each at
 * most @p count after the same cursor): @p seen maps each name to its entry;
 * the result is {list_key: [the first count in byte order: the entries when
 * @p values, else the names], "next_cursor": the last of them when more
 * follow (@p more: a partition said so), else null}. NULL on ENOMEM;
 * @p seen stays the caller's. */
json_t *ff__merged_page(json_t *seen, size_t count, int more, const char *list_key, int values);
/* A listing by lane name asked of every partition: one read-only FCALL of
 * @p fname per partition with KEYS[1] = @p key of it, ARGV = cursor (a lane
 * or ""), count (1..1000, checked here, kept in op->ival for @p fin). */
int ff__lane_listing(ff_client *c, const char *fname, int (*key)(char *, size_t, uint32_t), const char *cursor,
                     uint32_t count, ff__op_finish_fn fin, ff_op_cb cb, void *ud, ff_op **out);


/* The create fields of a spec after the execution id (namespace .. tags:
 * the 13 values ff_create takes after its id), copied so the spec may be
 * freed; the one serialization of a spec (ff_execution_create and
 * ff_flow_submit). lane/eid/flow/idem_key point into v[] or are copies. */
#define FF__SPEC_NARGS 13
typedef struct ff__spec_args {
    char *v[FF__SPEC_NARGS];
    size_t len[FF__SPEC_NARGS];
    char *eid;  /* the given execution id, NULL = mint */
    char *flow; /* the flow of ff_exec_spec_set_flow, NULL = none */
    size_t payload_len;
} ff__spec_args;
/* FF_OK or FF_ENOMEM (nothing to free then). */
int ff__exec_spec_args(const ff_exec_spec *s, ff__spec_args *out);
void ff__spec_args_free(ff__spec_args *a);
/* Indices into ff__spec_args.v */
#define FF__SPEC_LANE 1
#define FF__SPEC_IDEM 10

#endif
