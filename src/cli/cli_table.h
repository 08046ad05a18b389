/*
 * Aligned text tables for human output (list, lanes, stats, demo). Cells are
 * copied, so callers can format into stack buffers.
 */
#ifndef FFCTL_CLI_TABLE_H
#define FFCTL_CLI_TABLE_H

#include <stdio.h>

typedef struct cli_table cli_table;

/* @p align has one char per column: 'l' left, 'r' right (numbers). */
cli_table *cli_table_new(size_t ncols, const char *const *headers, const char *align);
/* Append one cell; rows fill left to right and wrap after the last column. */
void cli_table_cell(cli_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t cli_table_rows(const cli_table *t);
/* Print with two spaces between columns and @p indent leading spaces. */
void cli_table_print(const cli_table *t, FILE *f, int indent);
void cli_table_free(cli_table *t);

#endif
