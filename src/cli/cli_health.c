/* Lease totals and sweep health for `ffctl stats`. */
#include "cli/cli_health.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_table.h"
#include "cli/cli_util.h"
#include "flowfabric/sys/health.h"

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

static int64_t jint(json_t *o, const char *k) {
    json_t *v = o ? json_object_get(o, k) : NULL;
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* The library's document, in the shape `ffctl stats --json` has always
 * printed ("last_tick_age_ms" is the age of the last heartbeat). */
static void engines_json(json_t *engines, json_t *own) {
    printf("\"engines\":[");
    size_t i;
    json_t *e;
    json_array_foreach(engines, i, e) {
        if (i) putchar(',');
        const char *id = json_string_value(json_object_get(e, "engine_id"));
        printf("{\"engine_id\":");
        cli_json_string(stdout, id ? id : "", id ? strlen(id) : 0);
        printf(",\"owned_partitions\":%" PRId64 ",\"heartbeat_expires_at\":%" PRId64 ",\"last_tick_age_ms\":",
               jint(e, "owned_partitions"), jint(e, "heartbeat_expires_at"));
        json_t *age = json_object_get(e, "last_beat_age_ms");
        if (json_is_integer(age))
            printf("%" PRId64, (int64_t)json_integer_value(age));
        else
            printf("null");
        char *stats = json_dumps(json_object_get(e, "stats"), JSON_COMPACT);
        printf(",\"stats\":%s}", stats ? stats : "{}");
        free(stats);
    }
    printf("],\"ownership\":{\"partitions\":%" PRId64 ",\"owned\":%" PRId64 ",\"by_gone_engines\":%" PRId64 "}",
           jint(own, "partitions"), jint(own, "owned"), jint(own, "by_gone_engines"));
}

static void engines_table(json_t *engines, json_t *own, int indent) {
    size_t n = json_array_size(engines);
    printf("%*sSWEEP HEALTH  %zu live engine%s\n", indent, "", n, n == 1 ? "" : "s");
    if (n > 0) {
        cli_table *t = cli_table_new(NCOUNTERS + 4, headers, "lrrrrrrrrrr");
        size_t i;
        json_t *e;
        json_array_foreach(engines, i, e) {
            json_t *stats = json_object_get(e, "stats"), *age = json_object_get(e, "last_beat_age_ms");
            const char *id = json_string_value(json_object_get(e, "engine_id"));
            cli_table_cell(t, "%s", id ? id : "");
            cli_table_cell(t, "%" PRId64, jint(e, "owned_partitions"));
            cli_table_cell(t, "%" PRId64, jint(stats, "sweeps"));
            if (json_is_integer(age))
                cli_table_cell(t, "%.1f s ago", (double)json_integer_value(age) / 1000.0);
            else
                cli_table_cell(t, "-");
            for (size_t k = 0; k < NCOUNTERS; k++) cli_table_cell(t, "%" PRId64, jint(stats, counters[k]));
        }
        cli_table_print(t, stdout, indent + 2);
        cli_table_free(t);
    }
    int64_t by_gone = jint(own, "by_gone_engines");
    printf("%*s  %" PRId64 " of %" PRId64 " partitions owned", indent, "", jint(own, "owned"), jint(own, "partitions"));
    if (by_gone)
        printf(", %" PRId64 " by engines that stopped beating (they move when their registration lapses)", by_gone);
    printf("\n");
    if (n == 0)
        printf("%*s  no live engine: expired leases, delays and retries are only handled when a worker\n"
               "%*s  claims; start 'ffctl engine' (or run workers with their engine on)\n",
               indent, "", indent, "");
}

int cli_print_engines(ff_client *c, int json, int indent) {
    ff_op *op = NULL;
    json_t *doc = NULL;
    if (cli_wait(ff_engine_list(c, NULL, NULL, &op), &op, "engine list") != FF_OK) {
        ff_op_free(op);
        return CLI_EOP;
    }
    doc = json_loads(ff_op_json(op), 0, NULL);
    ff_op_free(op);
    if (doc == NULL) return cli_error(FF_EPROTO, "engine list: the library's document is not JSON");
    json_t *engines = json_object_get(doc, "engines"), *own = json_object_get(doc, "ownership");
    if (json)
        engines_json(engines, own);
    else
        engines_table(engines, own, indent);
    json_decref(doc);
    return CLI_OK;
}
