/*
 * The demo's second act: crash recovery. A separate worker process
 * (`ffctl worker`, this very binary) claims a few executions and is killed
 * with SIGKILL while its commands run; an in-process ff_worker with the
 * engine on then finds the leases expired, reclaims the executions (new
 * attempt of type "reclaim", lease epoch + 1) and completes them, while it
 * also processes fresh work on the same lane as usual.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli_health.h"
#include "cli/cli_table.h"
#include "cli/cli_util.h"
#include "demo/demo.h"
#include "cli/proc_run.h"

#define ACT_TIMEOUT_MS 20000
#define DOOMED_TTL_MS 2000
#define DOOMED_ID "doomed-worker"
#define RESCUE_ID "rescue-worker"

typedef struct crash_job {
    const char *kind;
    const char *payload;
    int crashes; /* claimed by the doomed worker */
    char id[128];
} crash_job;

static crash_job script[] = {
    {.kind = "video.transcode", .payload = "clip-001.mov", .crashes = 1},
    {.kind = "video.transcode", .payload = "clip-002.mov", .crashes = 1},
    {.kind = "video.transcode", .payload = "clip-003.mov", .crashes = 1},
    {.kind = "email.send", .payload = "to=bob@example.com"},
    {.kind = "email.send", .payload = "to=carol@example.com"},
};
#define NJOBS (sizeof script / sizeof script[0])

typedef struct act {
    ff_client *c;
    crash_job jobs[NJOBS];
    int64_t kill_at; /* cli_mono_ms of the SIGKILL */
} act;

static int submit(act *a, const char *lane, int crashes) {
    for (size_t i = 0; i < NJOBS; i++) {
        crash_job *j = &a->jobs[i];
        if (j->crashes != crashes) continue;
        ff_exec_spec *s = NULL;
        int st = ff_exec_spec_new(&s, j->kind);
        if (st == FF_OK) st = ff_exec_spec_set_lane(s, lane);
        if (st == FF_OK) st = ff_exec_spec_set_payload(s, j->payload, strlen(j->payload));
        ff_op *op = NULL;
        if (st == FF_OK) st = ff_execution_create(a->c, s, NULL, NULL, &op);
        st = cli_wait(st, &op, j->kind);
        ff_exec_spec_free(s);
        if (st == FF_OK) {
            snprintf(j->id, sizeof j->id, "%s", ff_op_execution_id(op));
            printf("   %-16s %s  %s\n", j->kind, j->id, j->payload);
        }
        ff_op_free(op);
        if (st != FF_OK) return st;
    }
    return FF_OK;
}

/* fork + exec this binary as `ffctl worker`; returns the pid or -1. The
 * URL goes in FF_URL: argv is visible to every user (ps), and may not
 * carry a password. */
static pid_t spawn_doomed(const char *url, const char *lane) {
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return -1;
    self[n] = '\0';
    char conc[16];
    snprintf(conc, sizeof conc, "%d", 3);
    char ttl[16];
    snprintf(ttl, sizeof ttl, "%d", DOOMED_TTL_MS);
    char *argv[] = {self, "worker", "--lane", (char *)lane, "--concurrency", conc,
                    "--lease-ttl-ms", ttl, "--no-engine", "--worker-id", DOOMED_ID, "-q",
                    "--exec", "sleep 10; cat", NULL};
    size_t cap = strlen(url) + 8;
    char *url_var = malloc(cap);
    if (url_var == NULL) return -1;
    snprintf(url_var, cap, "FF_URL=%s", url);
    const char *extra[] = {url_var};
    char **env = proc_env_build(extra, 1, NULL, 0);
    free(url_var);
    if (env == NULL) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
        }
        execve(self, argv, env);
        _exit(127);
    }
    proc_env_free(env);
    return pid;
}

/* Wait until the doomed worker holds every lease it should, then show them. */
static int wait_claimed(act *a, pid_t pid, int64_t deadline) {
    for (;;) {
        int held = 0, want = 0;
        for (size_t i = 0; i < NJOBS; i++) {
            if (!a->jobs[i].crashes) continue;
            want++;
            ff_op *d = NULL;
            const char *wid = NULL;
            if (ff_execution_describe(a->c, a->jobs[i].id, NULL, NULL, &d) == FF_OK && ff_op_wait(d, -1) == FF_OK &&
                ff_op_json_str(d, "lease.worker_id", &wid) == FF_OK && strcmp(wid, DOOMED_ID) == 0)
                held++;
            ff_op_free(d);
        }
        if (held == want) return FF_OK;
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            cli_error(FF_ERROR, "the worker process exited early (status %d)", status);
            return FF_ERROR;
        }
        if (cli_mono_ms() > deadline) {
            cli_error(FF_ETIMEDOUT, "the worker process did not claim its executions in time");
            return FF_ETIMEDOUT;
        }
        cli_sleep_ms(50);
    }
}

static void show_leases(act *a) {
    int64_t now = cli_now_ms();
    for (size_t i = 0; i < NJOBS; i++) {
        if (!a->jobs[i].crashes) continue;
        ff_op *d = NULL;
        if (cli_wait(ff_execution_describe(a->c, a->jobs[i].id, NULL, NULL, &d), &d, a->jobs[i].id) == FF_OK) {
            int64_t epoch = 0, exp = 0, ai = 0;
            const char *type = "?";
            ff_op_json_i64(d, "lease.epoch", &epoch);
            ff_op_json_i64(d, "lease.expires_at", &exp);
            ff_op_json_i64(d, "current_attempt.index", &ai);
            ff_op_json_str(d, "current_attempt.type", &type);
            printf("   %s  held by %s: attempt %" PRId64 " (%s), lease epoch %" PRId64 ", expires in %.1f s\n",
                   a->jobs[i].id, DOOMED_ID, ai, type, epoch, (double)(exp - now) / 1000.0);
        }
        ff_op_free(d);
    }
}

/* ------------------------------------------------------ rescue worker */

typedef struct done_note {
    act *a;
    char kind[64];
} done_note;

static void on_completed(ff_op *op, void *ud) {
    done_note *n = ud;
    printf("     -> %-16s %s (+%.1f s)\n", n->kind,
           ff_op_status(op) == FF_OK ? ff_op_text(op) : ff_status_name(ff_op_status(op)),
           (double)(cli_mono_ms() - n->a->kill_at) / 1000.0);
    free(n);
}

static void rescue_handler(ff_task *t, void *ud) {
    act *a = ud;
    const ff_claim *cl = ff_task_claim(t);
    size_t len = 0;
    const char *p = ff_claim_payload(cl, &len);
    printf("   claim  %-16s %s attempt %u (%s), lease epoch %llu (+%.1f s after the kill)\n", ff_claim_kind(cl),
           ff_claim_execution_id(cl), (unsigned)ff_claim_attempt_index(cl), ff_claim_attempt_type(cl),
           (unsigned long long)ff_claim_lease_epoch(cl), (double)(cli_mono_ms() - a->kill_at) / 1000.0);
    char result[256];
    snprintf(result, sizeof result, "done by %s: %.*s", RESCUE_ID, (int)len, p ? p : "");
    char kind[64];
    snprintf(kind, sizeof kind, "%s", ff_claim_kind(cl)); /* the task is gone after complete */
    done_note *n = malloc(sizeof *n);
    int st = FF_ENOMEM;
    if (n) {
        n->a = a;
        snprintf(n->kind, sizeof n->kind, "%s", kind);
        st = ff_task_complete(t, result, strlen(result), on_completed, n, NULL);
    } else {
        st = ff_task_complete(t, result, strlen(result), NULL, NULL, NULL);
    }
    if (st != FF_OK) {
        free(n);
        printf("     -> %-16s not completed: %s\n", kind, ff_status_name(st));
    }
}

static int all_done(act *a, int *done) {
    *done = 1;
    for (size_t i = 0; i < NJOBS; i++) {
        ff_op *d = NULL;
        int st = ff_execution_describe(a->c, a->jobs[i].id, NULL, NULL, &d);
        if (st == FF_OK) st = ff_op_wait(d, -1);
        if (st == FF_OK && !demo_is_terminal(ff_op_text(d))) *done = 0;
        ff_op_free(d);
        if (st != FF_OK) return st;
    }
    return FF_OK;
}

static int rescue(act *a, const char *lane, int64_t deadline) {
    ff_worker_opts *o = NULL;
    ff_worker *w = NULL;
    int st = ff_worker_opts_new(&o);
    if (st == FF_OK) st = ff_worker_opts_add_lane(o, lane);
    if (st == FF_OK) st = ff_worker_opts_set_worker_id(o, RESCUE_ID);
    if (st == FF_OK) st = ff_worker_opts_set_concurrency(o, 4);
    if (st == FF_OK) st = ff_worker_opts_set_poll_ms(o, 500);
    if (st == FF_OK) st = ff_worker_new(&w, a->c, o);
    if (st == FF_OK) st = ff_worker_on(w, NULL, rescue_handler, a);
    if (st == FF_OK) st = ff_worker_start(w);
    ff_worker_opts_free(o);
    if (st != FF_OK) {
        ff_worker_free(w);
        cli_error(st, "cannot start the rescue worker");
        return st;
    }
    struct pollfd pf = {ff_client_fd(a->c), POLLIN, 0};
    int64_t next_check = 0;
    for (;;) {
        poll(&pf, 1, 50);
        ff_client_dispatch(a->c, 0);
        if (cli_mono_ms() < next_check) continue;
        next_check = cli_mono_ms() + 250;
        int done = 0;
        if ((st = all_done(a, &done)) != FF_OK || done) break;
        if (cli_mono_ms() > deadline) {
            st = FF_ETIMEDOUT;
            cli_error(st, "not every execution was completed within %d s", ACT_TIMEOUT_MS / 1000);
            break;
        }
    }
    ff_client_dispatch(a->c, 0);
    printf("\n");
    cli_print_engines(a->c, 0, 3);
    ff_worker_free(w);
    return st;
}

/* ------------------------------------------------------------ report */

/* "initial interrupted_reclaimed (lease_expired, doomed-worker) > reclaim ended_success (rescue-worker)" */
static void history(const ff_op *d, char *buf, size_t cap) {
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; off < cap; i++) {
        char p[64];
        const char *type = NULL, *state = "?", *why = NULL, *wid = "";
        snprintf(p, sizeof p, "attempts.%zu.type", i);
        if (ff_op_json_str(d, p, &type) != FF_OK) break;
        snprintf(p, sizeof p, "attempts.%zu.state", i);
        ff_op_json_str(d, p, &state);
        snprintf(p, sizeof p, "attempts.%zu.failure_reason", i);
        ff_op_json_str(d, p, &why);
        snprintf(p, sizeof p, "attempts.%zu.worker_id", i);
        ff_op_json_str(d, p, &wid);
        off += (size_t)snprintf(buf + off, cap - off, "%s%s %s (%s%s%s)", i ? " > " : "", type, state,
                                why ? why : "", why ? ", " : "", wid);
    }
}

static int report(act *a) {
    static const char *const hdr[] = {"KIND", "STATE", "ATTEMPTS", "HISTORY", "EXPECTED"};
    cli_table *t = cli_table_new(5, hdr, "llrll");
    int bad = 0;
    for (size_t i = 0; i < NJOBS; i++) {
        crash_job *j = &a->jobs[i];
        ff_op *d = NULL;
        if (cli_wait(ff_execution_describe(a->c, j->id, NULL, NULL, &d), &d, j->id) != FF_OK) {
            ff_op_free(d);
            bad++;
            continue;
        }
        int64_t att = 0, reclaims = 0;
        const char *s0 = "", *t1 = "", *s1 = "", *w1 = "";
        ff_op_json_i64(d, "counters.total_attempts", &att);
        ff_op_json_i64(d, "counters.reclaim_count", &reclaims);
        ff_op_json_str(d, "attempts.0.state", &s0);
        ff_op_json_str(d, "attempts.1.type", &t1);
        ff_op_json_str(d, "attempts.1.state", &s1);
        ff_op_json_str(d, "attempts.1.worker_id", &w1);
        int ok = strcmp(ff_op_text(d), "completed") == 0;
        if (j->crashes)
            ok = ok && att == 2 && reclaims == 1 && strcmp(s0, "interrupted_reclaimed") == 0 &&
                 strcmp(t1, "reclaim") == 0 && strcmp(s1, "ended_success") == 0 && strcmp(w1, RESCUE_ID) == 0;
        else
            ok = ok && att == 1;
        bad += !ok;
        char h[512];
        history(d, h, sizeof h);
        cli_table_cell(t, "%s", j->kind);
        cli_table_cell(t, "%s", ff_op_text(d));
        cli_table_cell(t, "%" PRId64, att);
        cli_table_cell(t, "%s", h);
        if (ok)
            cli_table_cell(t, "ok");
        else
            cli_table_cell(t, "MISMATCH: want completed after %s", j->crashes ? "a reclaim" : "1 attempt");
        ff_op_free(d);
    }
    cli_table_print(t, stdout, 3);
    cli_table_free(t);
    if (bad) cli_error(FF_ERROR, "%d execution(s) did not recover as expected", bad);
    return bad ? FF_ERROR : FF_OK;
}

int demo_crash(ff_client *c, const char *server_url, int step) {
    act a = {.c = c};
    memcpy(a.jobs, script, sizeof a.jobs);
    int64_t deadline = cli_mono_ms() + ACT_TIMEOUT_MS;
    char lane[64];
    snprintf(lane, sizeof lane, "demo-crash-%ld-%04x", (long)getpid(), (unsigned)(cli_now_ms() & 0xffff));
    printf("\nAct 2: a worker crash (lane %s)\n\n", lane);
    printf("%d. Submit %s executions\n", step, "three long-running");
    int st = submit(&a, lane, 1);
    if (st != FF_OK) return st;

    printf("\n%d. A separate worker process claims them: ffctl worker --lease-ttl-ms %d --exec 'sleep 10; cat'\n",
           step + 1, DOOMED_TTL_MS);
    pid_t pid = spawn_doomed(server_url, lane);
    if (pid < 0) {
        cli_error(FF_ESYS, "cannot start the worker process");
        return FF_ESYS;
    }
    printf("   worker process pid %ld started\n", (long)pid);
    if ((st = wait_claimed(&a, pid, deadline)) != FF_OK) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return st;
    }
    show_leases(&a);
    cli_sleep_ms(300); /* let the commands get going: the kill lands mid-run */

    printf("\n%d. kill -9 %ld while its commands run: nobody will complete, fail or release them\n", step + 2,
           (long)pid);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    a.kill_at = cli_mono_ms();
    printf("   worker process %ld is gone (%s); its leases stay on the server until they expire\n", (long)pid,
           WIFSIGNALED(status) ? "killed by SIGKILL" : "exited");

    printf("\n%d. A rescue worker (in this process, with the engine) starts; fresh work arrives meanwhile\n",
           step + 3);
    if ((st = submit(&a, lane, 0)) != FF_OK) return st;
    printf("   fresh work is done at once; the crashed work waits until its leases run out, which\n"
           "   the engine's sweep (or the worker's next claim) notices: then it is reclaimed\n");
    st = rescue(&a, lane, deadline);

    printf("\n%d. Final state: every execution completed exactly once\n", step + 4);
    int rst = report(&a);
    return st != FF_OK ? st : rst;
}
