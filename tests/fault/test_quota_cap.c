/*
 * A per-group concurrency cap holds exactly under racing worker processes
 * and SIGKILL: eight `ffctl worker` processes race for the work of four
 * groups (cap 3 each); three are killed mid-run and replaced. All the
 * while a checker samples, in one atomic server-side read, how many of each
 * group's executions hold a live lease, straight from the execution records
 * (not from the quota's own counters): never above the cap. At the end
 * every execution completed and every slot is free again.
 */
#include "fault.h"

enum { GROUPS = 4, PER_GROUP = 25, CAP = 3, WORKERS = 8, KILLED = 3 };

/* Leased executions per group among the lane's active ones, counted from
 * their state vectors in one script run (atomic on the server). */
static const char *SAMPLE_LUA =
    "local out = {}\n"
    "for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do\n"
    "  local v = redis.call('HMGET', 'ff:e:' .. id, 'st', 'grp')\n"
    "  if v[1] and string.find(v[1], '^a%.l%.') then\n"
    "    local g = v[2] or ''\n"
    "    out[g] = (out[g] or 0) + 1\n"
    "  end\n"
    "end\n"
    "local r = {}\n"
    "for g, n in pairs(out) do r[#r + 1] = g; r[#r + 1] = tostring(n) end\n"
    "return r\n";

static const char *const GROUP_NAMES[GROUPS] = {"tenant-a", "tenant-b", "tenant-c", "tenant-d"};

/* Sample once; the largest count seen per group goes into max_seen. */
static void sample(const char *active_key, int64_t *max_seen)
{
    ff_op *op = it_raw(C, "EVAL", SAMPLE_LUA, "1", active_key, NULL);
    FFT_OK(ff_op_status(op));
    size_t n = ff_op_reply_len(op);
    for (size_t i = 0; i + 1 < n; i += 2) {
        size_t gl = 0, nl = 0;
        const char *g = ff_op_reply_element(op, i, &gl);
        const char *v = ff_op_reply_element(op, i + 1, &nl);
        FFT_CHECK(g != NULL && v != NULL);
        char num[32];
        snprintf(num, sizeof num, "%.*s", (int)nl, v);
        int64_t count = atoll(num);
        int idx = -1;
        for (int k = 0; k < GROUPS; k++)
            if (gl == strlen(GROUP_NAMES[k]) && memcmp(g, GROUP_NAMES[k], gl) == 0) idx = k;
        FFT_CHECK_MSG(idx >= 0, "a lease of an unknown group %.*s", (int)gl, g);
        FFT_CHECK_MSG(count <= CAP, "group %s holds %lld leases at once, cap %d", GROUP_NAMES[idx],
                      (long long)count, CAP);
        if (count > max_seen[idx]) max_seen[idx] = count;
    }
    ff_op_free(op);
}

static pid_t spawn_worker(const char *lane, int i)
{
    char id[32];
    snprintf(id, sizeof id, "racer-%d", i);
    const char *args[] = {"worker", "--lane", lane, "--concurrency", "4", "--lease-ttl-ms", "2000", "--worker-id", id,
                          "-q", "--exec", "sleep 0.2; cat", NULL};
    return fault_spawn(args);
}

static void test_cap_holds_under_racing_workers_and_sigkill(void)
{
    fault_fresh_client();
    char lane[64];
    it_lane(lane, sizeof lane, "qcap");
    ff_op *op = IT_OP(ff_quota_create(C, lane, "cap3", 0, 0, CAP, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    char eid[IT_EID], active_key[256] = "";
    for (int g = 0; g < GROUPS; g++)
        for (int i = 0; i < PER_GROUP; i++) {
            ff_exec_spec *s = it_spec(lane);
            FFT_OK(ff_exec_spec_set_group(s, GROUP_NAMES[g]));
            FFT_OK(ff_exec_spec_set_payload(s, "x", 1));
            it_create_spec(C, s, eid, NULL, 0);
            ff_exec_spec_free(s);
            if (!active_key[0]) it_index_key(active_key, sizeof active_key, eid, lane, "active");
        }

    int64_t max_seen[GROUPS] = {0};
    pid_t w[WORKERS + KILLED];
    for (int i = 0; i < WORKERS; i++) w[i] = spawn_worker(lane, i);
    /* run until a third is done, sampling */
    while (fault_count(C, lane, "completed") < GROUPS * PER_GROUP / 3) sample(active_key, max_seen);
    for (int i = 0; i < KILLED; i++) fault_kill9(w[i]); /* leases in flight die with them */
    for (int i = 0; i < KILLED; i++) w[WORKERS + i] = spawn_worker(lane, WORKERS + i);
    int64_t until = fft_now_ms() + 120000;
    while (fault_count(C, lane, "completed") < GROUPS * PER_GROUP) {
        if (fft_now_ms() > until) FFT_FAIL("not everything completed");
        sample(active_key, max_seen);
    }
    for (int i = KILLED; i < WORKERS + KILLED; i++) fault_stop(w[i]);

    /* the cap was reached (the race was real) and never passed */
    for (int g = 0; g < GROUPS; g++) {
        printf("group %s: at most %lld leases at once (cap %d)\n", GROUP_NAMES[g], (long long)max_seen[g], CAP);
        FFT_CHECK(max_seen[g] <= CAP);
    }
    int64_t best = 0;
    for (int g = 0; g < GROUPS; g++)
        if (max_seen[g] > best) best = max_seen[g];
    FFT_EQ_INT(best, CAP);
    /* every slot is free again, nothing parked */
    op = IT_OP(ff_quota_describe(C, lane, NULL, 100, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    for (int g = 0; g < GROUPS; g++) {
        char path[64];
        snprintf(path, sizeof path, "groups.%d.holders", g);
        FFT_EQ_INT(it_ji64(op, path), 0);
        snprintf(path, sizeof path, "groups.%d.parked", g);
        FFT_EQ_INT(it_ji64(op, path), 0);
    }
    ff_op_free(op);
    FFT_EQ_INT(fault_count(C, lane, "failed"), 0);
}

int main(void)
{
    IT_RUN(test_cap_holds_under_racing_workers_and_sigkill);
    return it_summary(__FILE__);
}
