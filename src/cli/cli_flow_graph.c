/* Layering and rendering of a flow's DAG (cli_flow_graph.h). */
#include "cli/cli_flow_graph.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"

typedef struct gmember {
    const char *id, *state;
    int layer;       /* -1: on a cycle or after one (never in a valid flow) */
    json_t *group;   /* the group object, NULL when none */
    size_t in_first; /* this member's incoming edges: in_edges[in_first .. +in_count) */
    size_t in_count;
} gmember;

typedef struct gedge {
    const char *id, *up, *down, *state;
    int data;
    long iu, idn; /* member indices, -1 when not a member */
} gedge;

struct cli_flow_graph {
    gmember *m;
    size_t nm;
    gedge *e;
    size_t ne;
    size_t *in_edges; /* edge indices grouped by downstream */
    size_t *order;    /* member indices in (layer, id) order */
    size_t short_len; /* length of the id suffix that tells members apart */
};

static const char *str_of(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int by_id(const void *a, const void *b) {
    return strcmp(((const gmember *)a)->id, ((const gmember *)b)->id);
}

static long find_member(const cli_flow_graph *g, const char *id) {
    gmember key = {.id = id};
    const gmember *hit = bsearch(&key, g->m, g->nm, sizeof *g->m, by_id);
    return hit ? (long)(hit - g->m) : -1;
}

/* Kahn's algorithm over member indices; the layer of a member is fixed when
 * its last upstream is taken, so it is 1 + the highest upstream layer. */
static int layer_members(cli_flow_graph *g) {
    size_t *indeg = calloc(g->nm ? g->nm : 1, sizeof *indeg);
    size_t *out_first = calloc(g->nm + 1, sizeof *out_first);
    size_t *out_edges = calloc(g->ne ? g->ne : 1, sizeof *out_edges);
    size_t *queue = calloc(g->nm ? g->nm : 1, sizeof *queue);
    int ok = indeg && out_first && out_edges && queue;
    if (ok) {
        for (size_t i = 0; i < g->ne; i++) {
            if (g->e[i].iu < 0 || g->e[i].idn < 0) continue;
            indeg[g->e[i].idn]++;
            out_first[g->e[i].iu + 1]++;
        }
        for (size_t i = 0; i < g->nm; i++) out_first[i + 1] += out_first[i];
        size_t *fill = queue; /* borrow as a cursor per member, reset below */
        memcpy(fill, out_first, g->nm * sizeof *fill);
        for (size_t i = 0; i < g->ne; i++)
            if (g->e[i].iu >= 0 && g->e[i].idn >= 0) out_edges[fill[g->e[i].iu]++] = i;
        size_t head = 0, tail = 0;
        for (size_t i = 0; i < g->nm; i++) {
            g->m[i].layer = indeg[i] == 0 ? 0 : -1;
            if (indeg[i] == 0) queue[tail++] = i;
        }
        while (head < tail) {
            size_t u = queue[head++];
            for (size_t k = out_first[u]; k < out_first[u + 1]; k++) {
                size_t d = (size_t)g->e[out_edges[k]].idn;
                if (g->m[d].layer < g->m[u].layer + 1) g->m[d].layer = g->m[u].layer + 1;
                if (--indeg[d] == 0) queue[tail++] = d;
            }
        }
        /* Members never dequeued sit on a cycle: the server refuses cycles,
         * so this only shows a damaged record, as layer -1 ("?"). */
        for (size_t i = 0; i < g->nm; i++)
            if (indeg[i] != 0) g->m[i].layer = -1;
    }
    free(indeg);
    free(out_first);
    free(out_edges);
    free(queue);
    return ok;
}

static const cli_flow_graph *sort_graph; /* qsort has no context argument */

static int by_layer(const void *a, const void *b) {
    const gmember *x = &sort_graph->m[*(const size_t *)a], *y = &sort_graph->m[*(const size_t *)b];
    /* A cycle's members (-1) go last. */
    int lx = x->layer < 0 ? 1 << 30 : x->layer, ly = y->layer < 0 ? 1 << 30 : y->layer;
    if (lx != ly) return lx < ly ? -1 : 1;
    return strcmp(x->id, y->id);
}

static size_t short_len_of(const char *const *ids, size_t n);

static int by_upstream(const void *a, const void *b) {
    return strcmp(sort_graph->e[*(const size_t *)a].up, sort_graph->e[*(const size_t *)b].up);
}

/* in_edges: each member's incoming edges together, by upstream id (the
 * document lists edges by edge id, which says nothing to a reader). */
static int group_incoming(cli_flow_graph *g) {
    size_t *fill = calloc(g->nm + 1, sizeof *fill);
    if (fill == NULL) return 0;
    for (size_t i = 0; i < g->ne; i++)
        if (g->e[i].idn >= 0) g->m[g->e[i].idn].in_count++;
    size_t at = 0;
    for (size_t i = 0; i < g->nm; i++) {
        g->m[i].in_first = fill[i] = at;
        at += g->m[i].in_count;
    }
    for (size_t i = 0; i < g->ne; i++)
        if (g->e[i].idn >= 0) g->in_edges[fill[g->e[i].idn]++] = i;
    free(fill);
    sort_graph = g;
    for (size_t i = 0; i < g->nm; i++)
        qsort(g->in_edges + g->m[i].in_first, g->m[i].in_count, sizeof *g->in_edges, by_upstream);
    sort_graph = NULL;
    return 1;
}

cli_flow_graph *cli_flow_graph_new(json_t *doc) {
    json_t *members = json_object_get(doc, "members"), *edges = json_object_get(doc, "edges");
    json_t *groups = json_object_get(doc, "groups");
    if (!json_is_array(members)) return NULL;
    cli_flow_graph *g = calloc(1, sizeof *g);
    if (g == NULL) return NULL;
    g->nm = json_array_size(members);
    g->ne = json_is_array(edges) ? json_array_size(edges) : 0;
    g->m = calloc(g->nm ? g->nm : 1, sizeof *g->m);
    g->e = calloc(g->ne ? g->ne : 1, sizeof *g->e);
    g->in_edges = calloc(g->ne ? g->ne : 1, sizeof *g->in_edges);
    g->order = calloc(g->nm ? g->nm : 1, sizeof *g->order);
    const char **ids = calloc(g->nm ? g->nm : 1, sizeof *ids);
    if (!g->m || !g->e || !g->in_edges || !g->order || !ids) goto fail;
    for (size_t i = 0; i < g->nm; i++) {
        json_t *o = json_array_get(members, i);
        g->m[i].id = str_of(o, "execution_id");
        g->m[i].state = str_of(o, "public_state");
    }
    qsort(g->m, g->nm, sizeof *g->m, by_id); /* the server sorts too; do not rely on it */
    for (size_t i = 0; i < g->ne; i++) {
        json_t *o = json_array_get(edges, i);
        gedge *e = &g->e[i];
        e->id = str_of(o, "edge_id");
        e->up = str_of(o, "upstream");
        e->down = str_of(o, "downstream");
        e->state = str_of(o, "state");
        e->data = json_is_true(json_object_get(o, "data_passing"));
        e->iu = find_member(g, e->up);
        e->idn = find_member(g, e->down);
    }
    for (size_t i = 0; json_is_array(groups) && i < json_array_size(groups); i++) {
        json_t *o = json_array_get(groups, i);
        long at = find_member(g, str_of(o, "downstream"));
        if (at >= 0) g->m[at].group = o;
    }
    if (!group_incoming(g) || !layer_members(g)) goto fail;
    for (size_t i = 0; i < g->nm; i++) g->order[i] = i;
    sort_graph = g;
    qsort(g->order, g->nm, sizeof *g->order, by_layer);
    sort_graph = NULL;
    for (size_t i = 0; i < g->nm; i++) ids[i] = g->m[i].id;
    g->short_len = short_len_of(ids, g->nm);
    free(ids);
    return g;
fail:
    free(ids);
    cli_flow_graph_free(g);
    return NULL;
}

void cli_flow_graph_free(cli_flow_graph *g) {
    if (g == NULL) return;
    free(g->m);
    free(g->e);
    free(g->in_edges);
    free(g->order);
    free(g);
}

/* ------------------------------------------------------------- short ids */

/* The last @p len bytes of an id (all of it when shorter). UUIDv7 ids start
 * with their creation time, so members minted together share a prefix; the
 * tail is the random part and tells them apart. */
static const char *tail_of(const char *id, size_t len) {
    size_t n = strlen(id);
    return n > len ? id + n - len : id;
}

static size_t cmp_len;
static int by_tail(const void *a, const void *b) {
    return strcmp(tail_of(*(const char *const *)a, cmp_len), tail_of(*(const char *const *)b, cmp_len));
}

/* The shortest suffix length (8, 12, 16, ...) that no two members share. */
static size_t short_len_of(const char *const *ids, size_t n) {
    const char **v = calloc(n ? n : 1, sizeof *v);
    if (v == NULL) return 64; /* long enough for any id: no shortening */
    memcpy(v, ids, n * sizeof *v);
    size_t len = 8;
    for (; len < 64; len += 4) {
        cmp_len = len;
        qsort(v, n, sizeof *v, by_tail);
        int clash = 0;
        for (size_t i = 1; i < n && !clash; i++) clash = strcmp(tail_of(v[i - 1], len), tail_of(v[i], len)) == 0;
        if (!clash) break;
    }
    free(v);
    return len;
}

static const char *short_id(const cli_flow_graph *g, const char *id) { return tail_of(id, g->short_len); }

/* ------------------------------------------------------------------ text */

/* "any_of (cancel_remaining)", "quorum 2 of 3 (let_run)"; NULL for all_of
 * or no group. */
static const char *group_words(json_t *grp, char *buf, size_t cap) {
    const char *pol = grp ? str_of(grp, "policy") : "";
    if (pol[0] == '\0' || strcmp(pol, "all_of") == 0) return NULL;
    const char *os = str_of(grp, "on_satisfied");
    long long k = (long long)json_integer_value(json_object_get(grp, "k"));
    long long n = (long long)json_integer_value(json_object_get(grp, "n"));
    if (strcmp(pol, "quorum") == 0)
        snprintf(buf, cap, "quorum %lld of %lld (%s, %s)", k, n, os[0] ? os : "-", str_of(grp, "state"));
    else
        snprintf(buf, cap, "%s (%s, %s)", pol, os[0] ? os : "-", str_of(grp, "state"));
    return buf;
}

void cli_flow_graph_text(const cli_flow_graph *g, FILE *f) {
    int idw = 6, stw = 5;
    for (size_t i = 0; i < g->nm; i++) {
        int a = (int)strlen(g->m[i].id), b = (int)strlen(g->m[i].state);
        if (a > idw) idw = a;
        if (b > stw) stw = b;
    }
    if (g->nm == 0) {
        fprintf(f, "(no members)\n");
        return;
    }
    fprintf(f, "LAYER  %-*s  %-*s  UPSTREAMS (last %zu characters of their id)\n", idw, "MEMBER", stw, "STATE",
            g->short_len);
    for (size_t r = 0; r < g->nm; r++) {
        const gmember *m = &g->m[g->order[r]];
        char layer[16];
        if (m->layer < 0)
            snprintf(layer, sizeof layer, "?");
        else
            snprintf(layer, sizeof layer, "%d", m->layer);
        fprintf(f, "%-5s  %-*s  %-*s ", layer, idw, m->id, stw, m->state);
        if (m->in_count == 0) fprintf(f, " -");
        for (size_t k = 0; k < m->in_count; k++) {
            const gedge *e = &g->e[g->in_edges[m->in_first + k]];
            /* a non-member upstream (a damaged record) is shown whole */
            fprintf(f, " <- %s(%s%s)", e->iu >= 0 ? short_id(g, e->up) : e->up, e->state, e->data ? ", data" : "");
        }
        char buf[160];
        const char *gw = group_words(m->group, buf, sizeof buf);
        if (gw) fprintf(f, "  [%s]", gw);
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------------- dot */

/* A DOT string literal: only '"' and '\' need escaping in ids and states. */
static void dot_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        if ((unsigned char)*s >= 0x20) fputc(*s, f);
    }
    fputc('"', f);
}

/* Fill color per public state; the style marks states that are over without
 * having run to success. */
static void node_style(const char *state, const char **fill, const char **style) {
    static const struct {
        const char *state, *fill, *style;
    } tbl[] = {
        {"waiting", "white", "filled"},           {"waiting_children", "gray95", "filled,dashed"},
        {"delayed", "lightyellow", "filled"},     {"rate_limited", "lightyellow", "filled"},
        {"active", "lightskyblue", "filled,bold"}, {"suspended", "plum", "filled"},
        {"completed", "palegreen", "filled"},     {"failed", "salmon", "filled,bold"},
        {"cancelled", "gray75", "filled"},        {"expired", "orange", "filled"},
        {"skipped", "gray90", "filled,dotted"},
    };
    for (size_t i = 0; i < sizeof tbl / sizeof tbl[0]; i++) {
        if (strcmp(tbl[i].state, state) == 0) {
            *fill = tbl[i].fill;
            *style = tbl[i].style;
            return;
        }
    }
    *fill = "white"; /* "missing" (deleted by retention) or a future state */
    *style = "filled,dotted";
}

static void edge_style(const char *state, const char **color, const char **style) {
    if (strcmp(state, "satisfied") == 0) {
        *color = "darkgreen";
        *style = "solid";
    } else if (strcmp(state, "impossible") == 0) {
        *color = "red3";
        *style = "dotted";
    } else { /* pending */
        *color = "gray40";
        *style = "dashed";
    }
}

static void dot_edge(FILE *f, const gedge *e) {
    const char *color, *style;
    edge_style(e->state, &color, &style);
    fprintf(f, "  ");
    dot_str(f, e->up);
    fprintf(f, " -> ");
    dot_str(f, e->down);
    fprintf(f, " [color=\"%s\", style=\"%s\"%s];\n", color, style, e->data ? ", penwidth=2, label=\"data\"" : "");
}

void cli_flow_graph_dot(const cli_flow_graph *g, const char *flow_id, FILE *f) {
    fprintf(f, "digraph ");
    dot_str(f, flow_id);
    fprintf(f, " {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n  edge [fontname=\"monospace\"];\n");
    for (size_t r = 0; r < g->nm; r++) {
        const gmember *m = &g->m[g->order[r]];
        const char *fill, *style;
        node_style(m->state, &fill, &style);
        char label[256], buf[160];
        const char *gw = group_words(m->group, buf, sizeof buf);
        snprintf(label, sizeof label, "%s\\n%s%s%s", short_id(g, m->id), m->state, gw ? "\\n" : "", gw ? gw : "");
        fprintf(f, "  ");
        dot_str(f, m->id);
        /* label is built from ids and state words (no quotes), and carries
         * "\n" escapes DOT must see, so it is written as is. */
        fprintf(f, " [label=\"%s\", style=\"%s\", fillcolor=\"%s\"];\n", label, style, fill);
    }
    /* Edges in the order of the text form (by downstream, then upstream),
     * then any naming a non-member downstream. */
    for (size_t r = 0; r < g->nm; r++) {
        const gmember *m = &g->m[g->order[r]];
        for (size_t k = 0; k < m->in_count; k++) dot_edge(f, &g->e[g->in_edges[m->in_first + k]]);
    }
    for (size_t i = 0; i < g->ne; i++)
        if (g->e[i].idn < 0) dot_edge(f, &g->e[i]);
    fprintf(f, "}\n");
}

/* ------------------------------------------------------------------ json */

static void jstr(FILE *f, const char *s) { cli_json_string(f, s, strlen(s)); }

void cli_flow_graph_json(const cli_flow_graph *g, const char *flow_id, FILE *f) {
    fprintf(f, "{\"flow_id\":");
    jstr(f, flow_id);
    fprintf(f, ",\"members\":[");
    for (size_t r = 0; r < g->nm; r++) {
        const gmember *m = &g->m[g->order[r]];
        fprintf(f, "%s{\"execution_id\":", r ? "," : "");
        jstr(f, m->id);
        fprintf(f, ",\"public_state\":");
        jstr(f, m->state);
        if (m->layer < 0)
            fprintf(f, ",\"layer\":null");
        else
            fprintf(f, ",\"layer\":%d", m->layer);
        fprintf(f, ",\"upstreams\":[");
        for (size_t k = 0; k < m->in_count; k++) {
            const gedge *e = &g->e[g->in_edges[m->in_first + k]];
            fprintf(f, "%s{\"execution_id\":", k ? "," : "");
            jstr(f, e->up);
            fprintf(f, ",\"edge_id\":");
            jstr(f, e->id);
            fprintf(f, ",\"state\":");
            jstr(f, e->state);
            fprintf(f, ",\"data_passing\":%s}", e->data ? "true" : "false");
        }
        fprintf(f, "],\"group\":");
        char *grp = m->group ? json_dumps(m->group, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        fputs(grp ? grp : "null", f);
        free(grp);
        fputc('}', f);
    }
    fprintf(f, "]}\n");
}
