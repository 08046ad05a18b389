/* Lease totals and sweep health for `ffctl stats`. */
#include "cli/cli_health.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_table.h"
#include "cli/cli_util.h"
#include "engine/engine_int.h"

/* Server clock (TIME) in unix ms; 0 when unavailable. */
static int64_t server_now_ms(ff_client *c) {
    const char *argv[1] = {"TIME"};
    ff_op *op = NULL;
    int64_t now = 0;
    if (cli_wait(ff_client_command(c, 1, argv, NULL, NULL, NULL, &op), &op, "TIME") == FF_OK &&
        ff_op_reply_type(op) == FF_REPLY_ARRAY) {
        size_t l0 = 0, l1 = 0;
        const char *s = ff_op_reply_element(op, 0, &l0), *us = ff_op_reply_element(op, 1, &l1);
        if (s && us) now = strtoll(s, NULL, 10) * 1000 + strtoll(us, NULL, 10) / 1000;
    }
    ff_op_free(op);
    return now;
}

int cli_print_leases(ff_client *c, int json, int indent) {
    ff_op *op = NULL;
    if (cli_wait(ff_deployment_health(c, NULL, NULL, &op), &op, "deployment health") != FF_OK) {
        ff_op_free(op);
        return CLI_EOP;
    }
    int64_t held = 0, overdue = 0, quarantined = 0, parts = 0;
    ff_op_json_i64(op, "leases_held", &held);
    ff_op_json_i64(op, "leases_overdue", &overdue);
    ff_op_json_i64(op, "quarantined", &quarantined);
    ff_op_json_i64(op, "partitions", &parts);
    ff_op_free(op);
    if (json) {
        printf("\"leases\":{\"held\":%" PRId64 ",\"overdue\":%" PRId64 ",\"partitions\":%" PRId64
               "},\"quarantined\":%" PRId64,
               held, overdue, parts, quarantined);
    } else {
        printf("%*sLEASES  %" PRId64 " held over %" PRId64 " partitions, %" PRId64 " overdue (expired, not yet swept)\n",
               indent, "", held, parts, overdue);
        if (quarantined > 0)
            printf("%*sQUARANTINED  %" PRId64 " executions with a corrupt stored record ('ffctl quarantined')\n", indent,
                   "", quarantined);
    }
    return CLI_OK;
}

/* ------------------------------------------------------------- engines */

static const char *const counters[] = {"leases_expired", "promoted", "attempt_timeouts", "deadlines_expired",
                                       "retained_deleted", "repaired", "errors"};
#define NCOUNTERS (sizeof counters / sizeof counters[0])
static const char *const headers[] = {"ENGINE",    "OWNED",    "SWEEPS",   "LAST BEAT", "EXPIRED", "PROMOTED",
                                      "TIMEOUTS",  "DEADLINES", "RETAINED", "REPAIRED",  "ERRORS"};

typedef struct engine_row {
    char id[128];
    int64_t expires_at;
    json_t *info;   /* NULL when the stored info is not JSON */
    uint32_t owned; /* derived from the live set, as the engines derive it */
} engine_row;

static int64_t jint(json_t *o, const char *k) {
    json_t *v = o ? json_object_get(o, k) : NULL;
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* When the engine last beat (server ms): its heartbeat expiry minus its
 * membership ttl; 0 when its info does not say. */
static int64_t last_beat(const engine_row *r) {
    int64_t ttl = jint(r->info, "ttl_ms");
    return ttl > 0 ? r->expires_at - ttl : 0;
}

/* Missed two heartbeats: probably gone; its partitions move once its
 * registration lapses. */
static int stale(const engine_row *r, int64_t now) {
    int64_t beat = jint(r->info, "heartbeat_ms"), last = last_beat(r);
    return beat > 0 && last > 0 && now - last > 2 * beat;
}

static void element(ff_op *op, size_t i, char *buf, size_t cap) {
    size_t len = 0;
    const char *p = ff_op_reply_element(op, i, &len);
    snprintf(buf, cap, "%.*s", p ? (int)len : 0, p ? p : "");
}

static void engines_json(const engine_row *rows, size_t n, int64_t now, uint32_t parts, uint32_t owned,
                         uint32_t by_gone) {
    printf("\"engines\":[");
    for (size_t i = 0; i < n; i++) {
        int64_t last = last_beat(&rows[i]);
        if (i) putchar(',');
        printf("{\"engine_id\":");
        cli_json_string(stdout, rows[i].id, strlen(rows[i].id));
        printf(",\"owned_partitions\":%u,\"heartbeat_expires_at\":%" PRId64 ",\"last_tick_age_ms\":",
               (unsigned)rows[i].owned, rows[i].expires_at);
        if (last > 0)
            printf("%" PRId64, now - last);
        else
            printf("null");
        char *info = rows[i].info ? json_dumps(rows[i].info, JSON_COMPACT) : NULL;
        printf(",\"stats\":%s}", info ? info : "{}");
        free(info);
    }
    printf("],\"ownership\":{\"partitions\":%u,\"owned\":%u,\"by_gone_engines\":%u}", (unsigned)parts,
           (unsigned)owned, (unsigned)by_gone);
}

static void engines_table(const engine_row *rows, size_t n, int64_t now, uint32_t parts, uint32_t owned,
                          uint32_t by_gone, int indent) {
    printf("%*sSWEEP HEALTH  %zu live engine%s\n", indent, "", n, n == 1 ? "" : "s");
    if (n > 0) {
        cli_table *t = cli_table_new(NCOUNTERS + 4, headers, "lrrrrrrrrrr");
        for (size_t i = 0; i < n; i++) {
            int64_t last = last_beat(&rows[i]);
            cli_table_cell(t, "%s", rows[i].id);
            cli_table_cell(t, "%u", (unsigned)rows[i].owned);
            cli_table_cell(t, "%" PRId64, jint(rows[i].info, "sweeps"));
            if (last > 0)
                cli_table_cell(t, "%.1f s ago", (double)(now - last) / 1000.0);
            else
                cli_table_cell(t, "-");
            for (size_t k = 0; k < NCOUNTERS; k++) cli_table_cell(t, "%" PRId64, jint(rows[i].info, counters[k]));
        }
        cli_table_print(t, stdout, indent + 2);
        cli_table_free(t);
    }
    printf("%*s  %u of %u partitions owned", indent, "", (unsigned)owned, (unsigned)parts);
    if (by_gone) printf(", %u by engines that stopped beating (they move when their registration lapses)", by_gone);
    printf("\n");
    if (n == 0)
        printf("%*s  no live engine: expired leases, delays and retries are only handled when a worker\n"
               "%*s  claims; start 'ffctl engine' (or run workers with their engine on)\n",
               indent, "", indent, "");
}

int cli_print_engines(ff_client *c, int json, int indent) {
    int64_t now = server_now_ms(c);
    const char *argv[] = {"FCALL_RO", "ff_engine_list", "2", "ff:{e}:engines", "ff:{e}:info"};
    ff_op *op = NULL;
    int st = cli_wait(ff_client_command(c, 5, argv, NULL, NULL, NULL, &op), &op, "ff_engine_list");
    char ok[8] = "";
    if (st == FF_OK && ff_op_reply_type(op) == FF_REPLY_ARRAY) element(op, 1, ok, sizeof ok);
    if (st == FF_OK && strcmp(ok, "OK") != 0) {
        /* {0, token, detail...} from the library, or not an envelope at all */
        char token[128] = "", detail[256] = "";
        if (ff_op_reply_type(op) == FF_REPLY_ARRAY) {
            element(op, 1, token, sizeof token);
            element(op, 2, detail, sizeof detail);
        }
        cli_error(FF_EPROTO, "ff_engine_list: unexpected reply %s %s", token[0] ? token : "(not an envelope)",
                  detail);
        st = FF_EPROTO;
    }
    if (st != FF_OK) {
        ff_op_free(op);
        return CLI_EOP;
    }
    size_t n = (ff_op_reply_len(op) - 2) / 3;
    uint32_t parts = ff_client_partitions(c);
    engine_row *rows = calloc(n ? n : 1, sizeof *rows);
    const char **ids = calloc(n ? n : 1, sizeof *ids);
    if (rows == NULL || ids == NULL) {
        ff_op_free(op);
        free(rows);
        free(ids);
        return cli_error(FF_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        char exp[32], info[16385];
        element(op, 2 + 3 * i, rows[i].id, sizeof rows[i].id);
        element(op, 3 + 3 * i, exp, sizeof exp);
        element(op, 4 + 3 * i, info, sizeof info);
        rows[i].expires_at = strtoll(exp, NULL, 10);
        rows[i].info = json_loads(info, 0, NULL);
        ids[i] = rows[i].id;
    }
    ff_op_free(op);
    /* Ownership is a function of the live set (engine/ownership.c): the same
     * computation every engine makes at its heartbeat. */
    uint32_t owned = 0, by_gone = 0;
    for (uint32_t p = 0; n > 0 && p < parts; p++) {
        size_t i = ff__engine_owner(ids, n, p);
        rows[i].owned++;
        owned++;
        if (stale(&rows[i], now)) by_gone++;
    }
    free(ids);
    if (json)
        engines_json(rows, n, now, parts, owned, by_gone);
    else
        engines_table(rows, n, now, parts, owned, by_gone, indent);
    for (size_t i = 0; i < n; i++) json_decref(rows[i].info);
    free(rows);
    return CLI_OK;
}
