/* Aligned text tables. Widths are computed at print time from every cell, so
 * rows can be added in any order and the output always lines up. */
#include "cli/cli_table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct cli_table {
    size_t ncols;
    char **headers;
    char *align;
    char **cells; /* row-major, ncells used */
    size_t ncells;
    size_t cap;
    int oom; /* an allocation failed: print what we have, never crash */
};

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

cli_table *cli_table_new(size_t ncols, const char *const *headers, const char *align) {
    cli_table *t = calloc(1, sizeof *t);
    if (t == NULL) return NULL;
    t->ncols = ncols;
    t->headers = calloc(ncols, sizeof *t->headers);
    t->align = calloc(ncols + 1, 1);
    if (t->headers == NULL || t->align == NULL) {
        cli_table_free(t);
        return NULL;
    }
    for (size_t i = 0; i < ncols; i++) {
        t->headers[i] = dup_str(headers[i]);
        t->align[i] = (align && i < strlen(align) && align[i] == 'r') ? 'r' : 'l';
    }
    return t;
}

void cli_table_cell(cli_table *t, const char *fmt, ...) {
    if (t == NULL) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* Tabs and newlines would break the alignment: show them as spaces. */
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
    if (t->ncells == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **n = realloc(t->cells, cap * sizeof *n);
        if (n == NULL) {
            t->oom = 1;
            return;
        }
        t->cells = n;
        t->cap = cap;
    }
    char *d = dup_str(buf);
    if (d == NULL) {
        t->oom = 1;
        return;
    }
    t->cells[t->ncells++] = d;
}

size_t cli_table_rows(const cli_table *t) { return t && t->ncols ? (t->ncells + t->ncols - 1) / t->ncols : 0; }

static size_t text_width(const char *s) {
    /* Count UTF-8 code points, not bytes, so non-ASCII lane names align. */
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) w++;
    return w;
}

static void print_row(const cli_table *t, FILE *f, int indent, char *const *row, size_t n, const size_t *widths) {
    fprintf(f, "%*s", indent, "");
    for (size_t c = 0; c < n; c++) {
        const char *s = row[c] ? row[c] : "";
        size_t pad = widths[c] - text_width(s);
        int last = c + 1 == n;
        if (t->align[c] == 'r') {
            fprintf(f, "%*s%s", (int)pad, "", s);
        } else {
            fputs(s, f);
            if (!last) fprintf(f, "%*s", (int)pad, ""); /* no trailing blanks */
        }
        if (!last) fputs("  ", f);
    }
    fputc('\n', f);
}

void cli_table_print(const cli_table *t, FILE *f, int indent) {
    if (t == NULL) return;
    size_t *widths = calloc(t->ncols ? t->ncols : 1, sizeof *widths);
    if (widths == NULL) return;
    for (size_t c = 0; c < t->ncols; c++) widths[c] = text_width(t->headers[c] ? t->headers[c] : "");
    for (size_t i = 0; i < t->ncells; i++) {
        size_t w = text_width(t->cells[i]);
        if (w > widths[i % t->ncols]) widths[i % t->ncols] = w;
    }
    print_row(t, f, indent, t->headers, t->ncols, widths);
    for (size_t r = 0; r * t->ncols < t->ncells; r++) {
        size_t n = t->ncells - r * t->ncols;
        print_row(t, f, indent, t->cells + r * t->ncols, n < t->ncols ? n : t->ncols, widths);
    }
    free(widths);
}

void cli_table_free(cli_table *t) {
    if (t == NULL) return;
    for (size_t i = 0; t->headers && i < t->ncols; i++) free(t->headers[i]);
    free(t->headers);
    free(t->align);
    for (size_t i = 0; i < t->ncells; i++) free(t->cells[i]);
    free(t->cells);
    free(t);
}
