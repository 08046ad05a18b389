/*
 * The layering and rendering of `ffctl flow graph` (src/cli/cli_flow_graph.c)
 * on hand-made describe documents: the cases a real server never produces
 * or produces only by chance (a cycle from a damaged record, an edge naming
 * a non-member, two member ids sharing their last 8 characters, an empty
 * flow), plus the layer order of a diamond. No server.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_flow_graph.h"

static int failures;

#define CHECK(cond, ...)                                                                                              \
    do {                                                                                                              \
        if (!(cond)) {                                                                                                \
            failures++;                                                                                               \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                                      \
            fprintf(stderr, __VA_ARGS__);                                                                             \
            fprintf(stderr, "\n");                                                                                    \
        }                                                                                                             \
    } while (0)

enum { TEXT, DOT, JSON };

/* printf-safe view of an output that may be missing */
static const char *S(const char *p) { return p ? p : "(null)"; }

/* Render @p doc_text one way into a malloc'd string (NULL: the graph could
 * not be built). */
static char *render(const char *doc_text, int how) {
    json_error_t err;
    json_t *doc = json_loads(doc_text, 0, &err);
    if (doc == NULL) {
        fprintf(stderr, "bad test document: %s\n", err.text);
        exit(2);
    }
    cli_flow_graph *g = cli_flow_graph_new(doc);
    char *buf = NULL;
    size_t len = 0;
    if (g) {
        FILE *f = open_memstream(&buf, &len);
        if (how == TEXT) cli_flow_graph_text(g, f);
        if (how == DOT) cli_flow_graph_dot(g, "{fp:1}:flow", f);
        if (how == JSON) cli_flow_graph_json(g, "{fp:1}:flow", f);
        fclose(f);
        cli_flow_graph_free(g);
    }
    json_decref(doc);
    return buf;
}

/* The line of @p text that contains @p needle, as a line number (0: none). */
static int line_with(const char *text, const char *needle) {
    const char *hit = text ? strstr(text, needle) : NULL;
    if (hit == NULL) return 0;
    int n = 1;
    for (const char *p = text; p < hit; p++) n += *p == '\n';
    return n;
}

#define ID(x) "{fp:1}:01a00000-0000-7000-8000-0000000000" x

static void diamond_layers(void) {
    /* Members listed out of order on purpose: the layering sorts them. */
    const char *doc = "{\"members\":["
                      "{\"execution_id\":\"" ID("0d") "\",\"public_state\":\"waiting_children\"},"
                      "{\"execution_id\":\"" ID("0a") "\",\"public_state\":\"completed\"},"
                      "{\"execution_id\":\"" ID("0c") "\",\"public_state\":\"waiting\"},"
                      "{\"execution_id\":\"" ID("0b") "\",\"public_state\":\"waiting\"}],"
                      "\"edges\":["
                      "{\"edge_id\":\"e1\",\"upstream\":\"" ID("0c") "\",\"downstream\":\"" ID("0d") "\","
                      "\"state\":\"pending\",\"data_passing\":false},"
                      "{\"edge_id\":\"e2\",\"upstream\":\"" ID("0a") "\",\"downstream\":\"" ID("0b") "\","
                      "\"state\":\"satisfied\",\"data_passing\":true},"
                      "{\"edge_id\":\"e3\",\"upstream\":\"" ID("0b") "\",\"downstream\":\"" ID("0d") "\","
                      "\"state\":\"pending\",\"data_passing\":false},"
                      "{\"edge_id\":\"e4\",\"upstream\":\"" ID("0a") "\",\"downstream\":\"" ID("0c") "\","
                      "\"state\":\"satisfied\",\"data_passing\":false}],"
                      "\"groups\":[{\"downstream\":\"" ID("0d") "\",\"policy\":\"quorum\",\"k\":2,\"n\":2,"
                      "\"on_satisfied\":\"let_run\",\"satisfied\":0,\"failed\":0,\"state\":\"pending\"}]}";
    char *t = render(doc, TEXT);
    CHECK(t != NULL, "diamond: no graph");
    int a = line_with(t, "0      " ID("0a")), b = line_with(t, "1      " ID("0b"));
    int c = line_with(t, "1      " ID("0c")), d = line_with(t, "2      " ID("0d"));
    CHECK(a && b && c && d && a < b && b < c && c < d, "diamond: layers a=%d b=%d c=%d d=%d\n%s", a, b, c, d, S(t));
    CHECK(strstr(t, "<- 0000000a(satisfied, data)") != NULL, "diamond: b <- a with data\n%s", S(t));
    /* incoming edges by upstream id, whatever the document order */
    CHECK(strstr(t, "<- 0000000b(pending) <- 0000000c(pending)  [quorum 2 of 2 (let_run, pending)]") != NULL,
          "diamond: d's upstreams and group\n%s", S(t));
    free(t);
    char *dot = render(doc, DOT);
    CHECK(dot && strncmp(dot, "digraph \"{fp:1}:flow\" {\n", 24) == 0, "dot header\n%s", S(dot));
    CHECK(dot && strstr(dot, "label=\"data\"") != NULL, "dot: data edge labelled\n%s", S(dot));
    CHECK(dot && strstr(dot, "\\nquorum 2 of 2") != NULL, "dot: group in the label\n%s", S(dot));
    free(dot);
    char *js = render(doc, JSON);
    json_t *parsed = js ? json_loads(js, 0, NULL) : NULL;
    CHECK(parsed != NULL, "json output parses\n%s", S(js));
    json_t *last = json_array_get(json_object_get(parsed, "members"), 3);
    CHECK(json_integer_value(json_object_get(last, "layer")) == 2, "json: d is layer 2");
    CHECK(json_array_size(json_object_get(last, "upstreams")) == 2, "json: d has 2 upstreams");
    json_decref(parsed);
    free(js);
}

static void cycle_and_strangers(void) {
    /* x <-> y is a cycle (a damaged record); z has an edge from a non-member. */
    const char *doc = "{\"members\":["
                      "{\"execution_id\":\"" ID("01") "\",\"public_state\":\"waiting\"},"
                      "{\"execution_id\":\"" ID("02") "\",\"public_state\":\"waiting\"},"
                      "{\"execution_id\":\"" ID("03") "\",\"public_state\":\"missing\"}],"
                      "\"edges\":["
                      "{\"edge_id\":\"e1\",\"upstream\":\"" ID("01") "\",\"downstream\":\"" ID("02") "\","
                      "\"state\":\"pending\",\"data_passing\":false},"
                      "{\"edge_id\":\"e2\",\"upstream\":\"" ID("02") "\",\"downstream\":\"" ID("01") "\","
                      "\"state\":\"pending\",\"data_passing\":false},"
                      "{\"edge_id\":\"e3\",\"upstream\":\"{fp:1}:stranger\",\"downstream\":\"" ID("03") "\","
                      "\"state\":\"impossible\",\"data_passing\":false}],\"groups\":[]}";
    char *t = render(doc, TEXT);
    CHECK(t != NULL, "cycle: no graph");
    CHECK(line_with(t, "?      " ID("01")) > line_with(t, "0      " ID("03")), "cycle members last, as ?\n%s", S(t));
    CHECK(strstr(t, "<- {fp:1}:stranger(impossible)") != NULL, "a non-member upstream shown whole\n%s", S(t));
    free(t);
    char *dot = render(doc, DOT);
    CHECK(dot && strstr(dot, "\"{fp:1}:stranger\" -> ") != NULL, "dot keeps the stranger's edge\n%s", S(dot));
    CHECK(dot && strstr(dot, "fillcolor=\"white\"") != NULL, "dot: unknown state drawn plain\n%s", S(dot));
    free(dot);
}

static void short_ids_stay_unique(void) {
    /* Two ids with the same last 8 characters: the suffix grows to 12. */
    const char *doc = "{\"members\":["
                      "{\"execution_id\":\"{fp:1}:01a00000-0000-7000-8000-aaaa12345678\",\"public_state\":\"waiting\"},"
                      "{\"execution_id\":\"{fp:1}:01a00000-0000-7000-8000-bbbb12345678\",\"public_state\":\"waiting\"},"
                      "{\"execution_id\":\"{fp:1}:01a00000-0000-7000-8000-cccccccccccc\",\"public_state\":\"waiting\"}],"
                      "\"edges\":["
                      "{\"edge_id\":\"e1\",\"upstream\":\"{fp:1}:01a00000-0000-7000-8000-aaaa12345678\","
                      "\"downstream\":\"{fp:1}:01a00000-0000-7000-8000-cccccccccccc\",\"state\":\"pending\","
                      "\"data_passing\":false}],\"groups\":[]}";
    char *t = render(doc, TEXT);
    CHECK(t && strstr(t, "last 12 characters") != NULL, "suffix length 12\n%s", S(t));
    CHECK(t && strstr(t, "<- aaaa12345678(pending)") != NULL, "12-character suffix used\n%s", S(t));
    free(t);
}

static void empty_and_malformed(void) {
    char *t = render("{\"members\":[],\"edges\":[],\"groups\":[]}", TEXT);
    CHECK(t && strcmp(t, "(no members)\n") == 0, "empty flow: %s", S(t));
    free(t);
    char *dot = render("{\"members\":[]}", DOT);
    CHECK(dot && strstr(dot, "{\n") && dot[strlen(dot) - 2] == '}', "empty dot is still a digraph\n%s", S(dot));
    free(dot);
    CHECK(render("{\"edges\":[]}", TEXT) == NULL, "no members array: no graph");
}

int main(void) {
    diamond_layers();
    cycle_and_strangers();
    short_ids_stay_unique();
    empty_and_malformed();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("flow graph: all checks passed\n");
    return 0;
}
