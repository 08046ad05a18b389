/*
 * ff_engine_list (sys/health.h): the live engines, their reports and the
 * partition split, read through the library (what ffctl stats prints). The
 * server is shared with other suites that run engines, so the checks are on
 * this file's own engines and on totals that hold whoever else is live.
 */
#include <jansson.h>

#include "flowfabric/sys/health.h"
#include "itest.h"

/* The list document (caller decrefs). */
static json_t *engine_list(void)
{
    ff_op *op = IT_OP(ff_engine_list(C, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    json_t *doc = json_loads(ff_op_json(op), 0, NULL);
    ff_op_free(op);
    FFT_CHECK(doc != NULL);
    return doc;
}

static json_t *find_engine(json_t *doc, const char *id)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "engines"), i, e) {
        if (strcmp(json_string_value(json_object_get(e, "engine_id")), id) == 0) return e;
    }
    return NULL;
}

static int64_t jget(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    FFT_CHECK_MSG(json_is_integer(v), "%s is not an integer", k);
    return (int64_t)json_integer_value(v);
}

static ff_engine *start_engine(ff_client *c, const char *id)
{
    ff_engine_opts *o = NULL;
    FFT_OK(ff_engine_opts_new(&o));
    FFT_OK(ff_engine_opts_set_engine_id(o, id));
    ff_engine *e = NULL;
    FFT_OK(ff_engine_start(&e, c, o));
    ff_engine_opts_free(o);
    return e;
}

/* Until both engines are listed with a report of their own (written at
 * their first heartbeat) and the split covers every partition. */
static json_t *list_with(const char *a, const char *b)
{
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    for (;;) {
        json_t *doc = engine_list();
        json_t *ea = find_engine(doc, a), *eb = find_engine(doc, b);
        if (ea && eb && json_object_get(json_object_get(ea, "stats"), "sweeps") &&
            json_object_get(json_object_get(eb, "stats"), "sweeps"))
            return doc;
        json_decref(doc);
        FFT_CHECK_MSG(fft_now_ms() < until, "engines %s and %s never both listed with a report", a, b);
        fft_sleep_ms(20);
    }
}

static void test_two_engines_listed_with_the_split(void)
{
    char a[64], b[64];
    fft_unique_name(a, sizeof a, "list-a");
    fft_unique_name(b, sizeof b, "list-b");
    ff_client *cb = fft_client_new();
    ff_engine *ea = start_engine(C, a), *eb = start_engine(cb, b);
    json_t *doc = list_with(a, b);

    int64_t now = jget(doc, "now");
    FFT_CHECK(now >= it_server_now_ms(C) - IT_WAIT_MS && now <= it_server_now_ms(C));
    json_t *own = json_object_get(doc, "ownership");
    int64_t parts = jget(own, "partitions");
    FFT_EQ_INT(parts, ff_client_partitions(C));
    FFT_EQ_INT(jget(own, "owned"), parts); /* someone is live: every partition has an owner */

    /* The split is the engines' own: the owned counts of everyone listed sum
     * to the partitions, and each engine's count matches what it says it sweeps
     * once both have seen the same live set. */
    int64_t sum = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "engines"), i, e) {
        sum += jget(e, "owned_partitions");
        FFT_CHECK(jget(e, "heartbeat_expires_at") > now);
        json_t *last = json_object_get(e, "last_beat_at");
        FFT_CHECK(json_is_null(last) || json_integer_value(last) <= now);
        FFT_CHECK(json_is_boolean(json_object_get(e, "stale")));
    }
    FFT_EQ_INT(sum, parts);
    json_t *me = find_engine(doc, a);
    FFT_CHECK(json_is_integer(json_object_get(me, "last_beat_at")));
    FFT_CHECK(json_is_false(json_object_get(me, "stale")));
    FFT_CHECK(json_is_object(json_object_get(me, "stats")));
    json_decref(doc);

    /* A stopped engine leaves the registry and the list at once. */
    ff_engine_stop(eb);
    doc = engine_list();
    FFT_CHECK(find_engine(doc, b) == NULL);
    FFT_CHECK(find_engine(doc, a) != NULL);
    json_decref(doc);
    ff_engine_stop(ea);
    ff_client_free(cb);
}

static void test_refuses_a_null_client(void)
{
    ff_op *op = NULL;
    FFT_EQ_INT(ff_engine_list(NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    FFT_CHECK(strstr(ff_error_detail(FF_EINVAL), "client") != NULL);
}

int main(void)
{
    IT_RUN(test_two_engines_listed_with_the_split);
    IT_RUN(test_refuses_a_null_client);
    return it_summary("test_engine_list");
}
