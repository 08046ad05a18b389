/* ff_op: construction, submission, waiting, and result accessors. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"
#include "client/client_int.h"
#include "core/explain.h"
#include "flowfabric/signal.h" /* ff_op_item_bytes is declared with the signal calls */

ff_op *ff__op_new(ff_client *c, ff__op_finish_fn finish) {
    ff_op *op = calloc(1, sizeof *op);
    if (op == NULL) return NULL;
    op->client = c;
    atomic_init(&op->refs, 1);
    atomic_init(&op->done, 0);
    op->finish = finish;
    op->status = FF_EAGAIN;
    op->kind = ff__op_kind_current();
    pthread_mutex_init(&op->mu, NULL);
    pthread_cond_init(&op->cv, NULL);
    return op;
}

ff__cmd *ff__op_add_cmd(ff_op *op) {
    if (op->ncmds == op->cmds_cap) {
        size_t cap = op->cmds_cap ? op->cmds_cap * 2 : 1;
        ff__cmd *n = realloc(op->cmds, cap * sizeof *n);
        if (n == NULL) {
            op->build_failed = 1;
            return NULL;
        }
        op->cmds = n;
        op->cmds_cap = cap;
    }
    ff__cmd *cmd = &op->cmds[op->ncmds++];
    memset(cmd, 0, sizeof *cmd);
    return cmd;
}

void ff__cmd_arg(ff_op *op, ff__cmd *cmd, const void *data, size_t len) {
    if (cmd == NULL || op->build_failed) {
        op->build_failed = 1;
        return;
    }
    if (cmd->argc == cmd->cap) {
        int cap = cmd->cap ? cmd->cap * 2 : 8;
        char **a = realloc(cmd->argv, (size_t)cap * sizeof *a);
        if (a == NULL) {
            op->build_failed = 1;
            return;
        }
        cmd->argv = a;
        size_t *l = realloc(cmd->argvlen, (size_t)cap * sizeof *l);
        if (l == NULL) {
            op->build_failed = 1;
            return;
        }
        cmd->argvlen = l;
        cmd->cap = cap;
    }
    char *copy = ff__memdup(data ? data : "", data ? len : 0);
    if (copy == NULL) {
        op->build_failed = 1;
        return;
    }
    cmd->argv[cmd->argc] = copy;
    cmd->argvlen[cmd->argc] = data ? len : 0;
    cmd->argc++;
}

void ff__cmd_str(ff_op *op, ff__cmd *cmd, const char *s) {
    if (s == NULL) s = "";
    ff__cmd_arg(op, cmd, s, strlen(s));
}

void ff__cmd_i64(ff_op *op, ff__cmd *cmd, int64_t v) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    ff__cmd_arg(op, cmd, buf, (size_t)n);
}

ff__cmd *ff__op_fcall(ff_op *op, const char *fname, int nkeys) {
    ff__cmd *cmd = ff__op_add_cmd(op);
    ff__cmd_str(op, cmd, "FCALL");
    ff__cmd_str(op, cmd, fname);
    ff__cmd_i64(op, cmd, nkeys);
    return cmd;
}

void ff__op_reset_cmds(ff_op *op) {
    for (size_t i = 0; i < op->ncmds; i++) {
        for (int k = 0; k < op->cmds[i].argc; k++) free(op->cmds[i].argv[k]);
        free(op->cmds[i].argv);
        free(op->cmds[i].argvlen);
        if (op->replies) {
            ff__rv_free(op->replies[i]);
            op->replies[i] = NULL;
        }
    }
    op->ncmds = 0;
}

int ff__op_prepare_replies(ff_op *op) {
    free(op->replies);
    op->replies = calloc(op->ncmds ? op->ncmds : 1, sizeof *op->replies);
    return op->replies ? FF_OK : FF_ENOMEM;
}

static void free_results(ff_op *op) {
    free(op->batch_key);
    free(op->errmsg);
    free(op->server_code);
    for (size_t i = 0; i < op->ndetails; i++) free(op->details[i]);
    free(op->details);
    free(op->text);
    free(op->bytes);
    free(op->execution_id);
    free(op->json);
    if (op->json_root) json_decref(op->json_root);
    for (size_t i = 0; i < op->nitems; i++) free(op->items[i]);
    free(op->items);
    free(op->item_lens);
    free(op->cursor);
    /* The claims' layout belongs to the ops layer: it set their destructor. */
    for (size_t i = 0; i < op->nclaims; i++)
        if (op->claim_free) op->claim_free(op->claims[i]);
    free(op->claims);
    ff__rv_free(op->raw);
}

static void destroy(ff_op *op) {
    for (size_t i = 0; i < op->ncmds; i++) {
        for (int k = 0; k < op->cmds[i].argc; k++) free(op->cmds[i].argv[k]);
        free(op->cmds[i].argv);
        free(op->cmds[i].argvlen);
    }
    free(op->cmds);
    if (op->replies) {
        for (size_t i = 0; i < op->ncmds; i++) ff__rv_free(op->replies[i]);
        free(op->replies);
    }
    if (op->ctx_free) op->ctx_free(op->ctx);
    free_results(op);
    pthread_mutex_destroy(&op->mu);
    pthread_cond_destroy(&op->cv);
    free(op);
}

void ff__op_ref(ff_op *op) { atomic_fetch_add(&op->refs, 1); }

void ff__op_unref(ff_op *op) {
    if (op && atomic_fetch_sub(&op->refs, 1) == 1) destroy(op);
}

void ff__op_discard(ff_op *op) { ff__op_unref(op); }

void ff__op_clear_error(ff_op *op) {
    free(op->errmsg);
    free(op->server_code);
    for (size_t i = 0; i < op->ndetails; i++) free(op->details[i]);
    free(op->details);
    op->errmsg = op->server_code = NULL;
    op->details = NULL;
    op->ndetails = 0;
}

void ff__op_set_error(ff_op *op, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(op->errmsg);
    op->errmsg = ff__strdup(buf);
}

int ff__op_submit(ff_op *op, ff_op_cb cb, void *ud, ff_op **out) {
    int detached = cb == NULL && out == NULL && op->allow_detached;
    /* A pull client: neither cb nor out means "hand it to ff_client_next". */
    op->pulled = cb == NULL && out == NULL && !detached && op->client->pull && !op->internal;
    if ((cb == NULL) == (out == NULL) && !detached && !op->pulled) {
        ff__op_discard(op);
        return FF_EINVAL;
    }
    if (op->build_failed || (op->ncmds == 0 && op->local_fn == NULL && op->io_start == NULL)) {
        ff__op_discard(op);
        return op->build_failed ? FF_ENOMEM : FF_EINVAL;
    }
    if (ff__op_prepare_replies(op) != FF_OK) {
        ff__op_discard(op);
        return FF_ENOMEM;
    }
    op->cb = cb;
    op->ud = ud;
    ff_client *c = op->client;
    pthread_mutex_lock(&c->mu);
    int stopping = c->stopping;
    pthread_mutex_unlock(&c->mu);
    if (stopping) {
        ff__op_discard(op);
        return FF_ECLOSED;
    }
    /* The caller's reference (future mode) or the delivery reference
     * (callback mode) is the initial one; the I/O side takes its own. */
    if (out) *out = op;
    ff__op_ref(op);
    ff__io_enqueue(c, op);
    if (detached) ff__op_unref(op); /* nobody will read it: drop the caller's reference */
    /* pulled: the caller's reference waits in the pull queue once done */
    return FF_OK;
}

int ff__op_submit_internal(ff_op *op, ff_op_cb cb, void *ud) {
    op->internal = 1;
    return ff__op_submit(op, cb, ud, NULL);
}

static void signal_done(ff_client *c, void *arg) {
    (void)c;
    (void)arg;
}

int ff__io_call(ff_client *c, void (*fn)(ff_client *, void *), void *arg) {
    ff_op *op = ff__op_new(c, NULL);
    if (op == NULL) return FF_ENOMEM;
    op->local_fn = fn ? fn : signal_done;
    op->local_arg = arg;
    ff_op *out = NULL;
    int st = ff__op_submit(op, NULL, NULL, &out);
    if (st != FF_OK) return st;
    st = ff_op_wait(out, -1);
    ff_op_free(out);
    return st;
}

int ff__fcall_result(ff_op *op, const ff_rv *r, ff_rv *const **fields, size_t *n) {
    if (r == NULL) return FF_EPROTO;
    if (r->type == FF_REPLY_ERROR) {
        ff__op_set_error(op, "%s", r->str ? r->str : "server error");
        return ff__server_error_status(r->str);
    }
    if (r->type != FF_REPLY_ARRAY || r->n < 2) {
        ff__op_set_error(op, "unexpected reply shape");
        return FF_EPROTO;
    }
    int64_t ok = 0;
    if (ff__rv_i64(r->elem[0], &ok) != 0 || !ff__rv_is_str(r->elem[1])) {
        ff__op_set_error(op, "unexpected reply envelope");
        return FF_EPROTO;
    }
    if (ok == 1) {
        *fields = r->elem + 1;
        *n = r->n - 1;
        return FF_OK;
    }
    return ff__op_server_error(op, r->elem[1]->str, r->elem + 2, r->n - 2);
}

int ff__op_server_error(ff_op *op, const char *code, ff_rv *const *details, size_t nd) {
    free(op->server_code);
    op->server_code = ff__strdup(code);
    if (nd) {
        op->details = calloc(nd, sizeof *op->details);
        if (op->details) {
            for (size_t i = 0; i < nd; i++) {
                const ff_rv *d = details[i];
                op->details[i] = ff__rv_is_str(d) ? ff__memdup(d->str, d->len) : ff__strdup("");
            }
            op->ndetails = nd;
        }
    }
    int st = ff_status_from_server_token(code);
    char buf[1024];
    if (st == FF_ESERVER) {
        /* a token this client does not know (a newer server library): show it whole */
        size_t off = (size_t)snprintf(buf, sizeof buf, "%s", code);
        for (size_t i = 0; i < op->ndetails && off < sizeof buf - 2; i++)
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", i == 0 ? ": " : " ", op->details[i]);
    } else {
        ff__explain(st, code, op->details, op->ndetails, buf, sizeof buf);
    }
    free(op->errmsg);
    op->errmsg = ff__strdup(buf);
    return st;
}

/* ------------------------------------------------------------ public API */

int ff_op_wait(ff_op *op, int64_t timeout_ms) {
    if (op == NULL) return FF_EINVAL;
    pthread_mutex_lock(&op->mu);
    if (timeout_ms < 0) {
        while (!atomic_load(&op->done)) pthread_cond_wait(&op->cv, &op->mu);
    } else {
        struct timespec ts;
        ts = ff__realtime_after_ms(timeout_ms);
        while (!atomic_load(&op->done)) {
            if (pthread_cond_timedwait(&op->cv, &op->mu, &ts) == ETIMEDOUT) break;
        }
    }
    int st = atomic_load(&op->done) ? op->status : FF_EAGAIN;
    pthread_mutex_unlock(&op->mu);
    return st;
}

void ff_op_free(ff_op *op) {
    if (op == NULL) return;
    ff__op_unref(op);
}

int32_t ff_op_done(const ff_op *op) { return op && atomic_load(&((ff_op *)op)->done) ? 1 : 0; }

int ff_op_status(const ff_op *op) {
    if (op == NULL) return FF_EINVAL;
    return atomic_load(&((ff_op *)op)->done) ? op->status : FF_EAGAIN;
}

void *ff_op_userdata(const ff_op *op) { return op ? op->ud : NULL; }

#define STR_OR_EMPTY(x) ((x) ? (x) : "")

const char *ff_op_errmsg(const ff_op *op) { return op ? STR_OR_EMPTY(op->errmsg) : ""; }
const char *ff_op_server_code(const ff_op *op) { return op ? STR_OR_EMPTY(op->server_code) : ""; }
size_t ff_op_detail_count(const ff_op *op) { return op ? op->ndetails : 0; }
const char *ff_op_detail(const ff_op *op, size_t i) {
    return (op && i < op->ndetails) ? op->details[i] : "";
}
const char *ff_op_text(const ff_op *op) { return op ? STR_OR_EMPTY(op->text) : ""; }
int64_t ff_op_int(const ff_op *op) { return op ? op->ival : 0; }
const void *ff_op_bytes(const ff_op *op, size_t *len) {
    /* A raw bulk reply (ff_client_command) is readable as bytes too. */
    if (op && op->bytes == NULL && op->raw && (op->raw->type == FF_REPLY_STRING || op->raw->type == FF_REPLY_STATUS)) {
        if (len) *len = op->raw->len;
        return op->raw->str;
    }
    if (len) *len = op ? op->bytes_len : 0;
    return (op && op->bytes) ? op->bytes : "";
}
const char *ff_op_execution_id(const ff_op *op) { return op ? STR_OR_EMPTY(op->execution_id) : ""; }
const char *ff_op_json(const ff_op *op) { return op ? STR_OR_EMPTY(op->json) : ""; }
size_t ff_op_item_count(const ff_op *op) { return op ? op->nitems : 0; }
const char *ff_op_item(const ff_op *op, size_t i) { return (op && i < op->nitems) ? op->items[i] : ""; }
const void *ff_op_item_bytes(const ff_op *op, size_t i, size_t *len) {
    if (op == NULL || i >= op->nitems) {
        if (len) *len = 0;
        return "";
    }
    if (len) *len = op->item_lens ? op->item_lens[i] : strlen(op->items[i]);
    return op->items[i];
}
const char *ff_op_cursor(const ff_op *op) { return op ? STR_OR_EMPTY(op->cursor) : ""; }
size_t ff_op_claim_count(const ff_op *op) { return op ? op->nclaims : 0; }

int ff_op_take_claim(ff_op *op, size_t i, ff_claim **out) {
    if (op == NULL || out == NULL) return FF_EINVAL;
    if (i >= op->nclaims || op->claims[i] == NULL) return FF_ENOTFOUND;
    *out = op->claims[i];
    op->claims[i] = NULL;
    return FF_OK;
}

static json_t *json_at(const ff_op *op, const char *path) {
    if (op == NULL || op->json_root == NULL || path == NULL) return NULL;
    json_t *cur = op->json_root;
    char seg[128];
    const char *p = path;
    while (*p && cur) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof seg) return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, seg);
        } else if (json_is_array(cur)) {
            char *end = NULL;
            long idx = strtol(seg, &end, 10);
            if (end == seg || *end != '\0' || idx < 0) return NULL;
            cur = json_array_get(cur, (size_t)idx);
        } else {
            return NULL;
        }
        p += n;
        if (*p == '.') p++;
    }
    return (cur && !json_is_null(cur)) ? cur : NULL;
}

int ff_op_json_str(const ff_op *op, const char *path, const char **out) {
    json_t *v = json_at(op, path);
    if (v == NULL) return FF_ENOTFOUND;
    if (!json_is_string(v)) return FF_EINVAL;
    if (out) *out = json_string_value(v);
    return FF_OK;
}

int ff_op_json_i64(const ff_op *op, const char *path, int64_t *out) {
    json_t *v = json_at(op, path);
    if (v == NULL) return FF_ENOTFOUND;
    if (json_is_integer(v)) {
        if (out) *out = (int64_t)json_integer_value(v);
        return FF_OK;
    }
    if (json_is_boolean(v)) {
        if (out) *out = json_is_true(v) ? 1 : 0;
        return FF_OK;
    }
    return FF_EINVAL;
}

int32_t ff_op_reply_type(const ff_op *op) { return (op && op->raw) ? op->raw->type : FF_REPLY_NIL; }
int64_t ff_op_reply_integer(const ff_op *op) { return (op && op->raw) ? op->raw->integer : 0; }
size_t ff_op_reply_len(const ff_op *op) {
    if (op == NULL || op->raw == NULL) return 0;
    return op->raw->type == FF_REPLY_ARRAY ? op->raw->n : op->raw->len;
}
const void *ff_op_reply_element(const ff_op *op, size_t i, size_t *len) {
    const ff_rv *e = (op && op->raw) ? ff__rv_at(op->raw, i) : NULL;
    if (e == NULL || e->str == NULL) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = e->len;
    return e->str;
}

void ff_free(void *p) { free(p); }
