/*
 * Helpers of the flow integration tests (test_flow_*.c), on top of itest.h:
 * make a flow and its members, stage edges and groups, run a member to an
 * outcome, read states. Every test uses its own lane, so its flow lives on a
 * partition of that lane and the claims it makes see only its members.
 */
#ifndef FF_FLOWTEST_H
#define FF_FLOWTEST_H

#include "itest.h"

#define FT_ID 80

/* A fresh flow minted on a partition of lane (default limits). */
static inline void ft_flow(const char *lane, char *fid)
{
    ff_op *op = IT_OP(ff_flow_create(C, NULL, lane, 0, 0, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("flow create: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    snprintf(fid, FT_ID, "%s", ff_op_text(op));
    FFT_EQ_INT(ff_op_int(op), 0);
    ff_op_free(op);
}

/* Submit a member of flow fid on lane. */
/* Members are claimed in the order they were made: ties in creation time
 * are ordered by id, and the ids minted in one process (UUIDv7) sort in the
 * order they were minted. */
static inline void ft_member(const char *fid, const char *lane, char *eid)
{
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_flow(s, fid));
    it_create_spec(C, s, eid, NULL, 0);
    ff_exec_spec_free(s);
}

/* Stage up -> down (no revision check); returns the edge id in edge (may be
 * NULL) and the edge state in state (may be NULL). */
static inline void ft_edge_flags(const char *fid, const char *up, const char *down, uint32_t flags, char *edge,
                                 char *state)
{
    ff_op *op = IT_OP(ff_flow_add_edge(C, fid, up, down, -1, flags, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("add edge: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    if (edge) snprintf(edge, FT_ID, "%s", ff_op_text(op));
    FFT_EQ_INT(ff_op_item_count(op), 1);
    if (state) snprintf(state, 32, "%s", ff_op_item(op, 0));
    ff_op_free(op);
}

static inline void ft_edge(const char *fid, const char *up, const char *down)
{
    ft_edge_flags(fid, up, down, 0, NULL, NULL);
}

static inline void ft_group(const char *fid, const char *down, const char *policy, int32_t k, const char *os)
{
    IT_EXPECT(ff_flow_set_group(C, fid, down, policy, k, os, NULL, NULL, OUT), FF_OK);
}

/* Public state of an execution. */
static inline void ft_pub(const char *eid, char *out, size_t cap)
{
    ff_op *d = it_describe(C, eid);
    snprintf(out, cap, "%s", ff_op_text(d));
    ff_op_free(d);
}

#define FT_EXPECT_PUB(eid, want)                                                                            \
    do {                                                                                                    \
        char ft__b[64];                                                                                     \
        ft_pub((eid), ft__b, sizeof ft__b);                                                                 \
        FFT_CHECK_MSG(strcmp(ft__b, (want)) == 0, "%s is %s, expected %s", #eid, ft__b, (want));            \
    } while (0)

/* Nothing claimable on lane (a blocked member must never be claimed). */
static inline void ft_nothing_claimable(const char *lane)
{
    ff_claim *cl = it_claim(C, lane);
    FFT_CHECK_MSG(cl == NULL, "%s was claimable on %s", cl ? ff_claim_execution_id(cl) : "", lane);
}

/* Claim eid (it must be the one claimable) and complete it with result. */
static inline void ft_complete(const char *lane, const char *eid, const char *result)
{
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_complete(C, cl, result, result ? strlen(result) : 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

/* Claim eid and fail it for good (no retry). */
static inline void ft_fail(const char *lane, const char *eid)
{
    ff_claim *cl = it_claim_expect(C, lane, eid);
    IT_EXPECT(ff_lease_fail_with(C, cl, "boom", "test", FF_FAIL_NO_RETRY, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
}

/* describe_flow; caller frees. */
static inline ff_op *ft_describe(const char *fid)
{
    ff_op *op = IT_OP(ff_flow_describe(C, fid, NULL, NULL, OUT));
    if (ff_op_status(op) != FF_OK)
        FFT_FAIL("flow describe: %s (%s)", ff_status_name(ff_op_status(op)), ff_op_errmsg(op));
    return op;
}

static inline void ft_expect_flow_state(const char *fid, const char *want)
{
    ff_op *op = ft_describe(fid);
    FFT_CHECK_MSG(strcmp(ff_op_text(op), want) == 0, "flow is %s, expected %s: %s", ff_op_text(op), want,
                  ff_op_json(op));
    FFT_EQ_STR(it_jstr(op, "state"), want);
    ff_op_free(op);
}

static inline int64_t ft_count(const char *fid, const char *name)
{
    ff_op *op = ft_describe(fid);
    char path[64];
    snprintf(path, sizeof path, "counts.%s", name);
    int64_t v = it_ji64(op, path);
    ff_op_free(op);
    return v;
}

/* One engine sweep of the partition of id (a flow or execution id). */
static inline ff_op *ft_sweep(const char *id)
{
    uint32_t part = 0;
    FFT_EQ_INT(ff__eid_parse(id, &part), 0);
    char key[64];
    snprintf(key, sizeof key, "ff:i:{fp:%u}:due", (unsigned)part);
    ff_op *op = it_raw(C, "FCALL", "ff_engine_sweep", "1", key, "ftest", "1000", "9007199254740991", NULL);
    FFT_OK(ff_op_status(op));
    char b[64];
    it_reply_str(op, 1, b, sizeof b);
    FFT_EQ_STR(b, "OK");
    return op;
}

/* The raw HGET of a flow-side hash field (for "nothing written" checks). */
static inline int64_t ft_key_count(const char *pattern)
{
    ff_op *op = it_raw(C, "KEYS", pattern, NULL);
    FFT_OK(ff_op_status(op));
    int64_t n = (int64_t)ff_op_reply_len(op);
    ff_op_free(op);
    return n;
}

#endif
