/* `ffctl quarantined`: executions set aside because their stored record is
 * corrupt (ff_execution_list_quarantined over every partition). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_table.h"

static int run_quarantined(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    static const char *const headers[] = {"EXECUTION", "QUARANTINED_AT", "CORRUPT FIELD"};
    cli_table *t = ctx->json ? NULL : cli_table_new(3, headers, "lrl");
    size_t rows = 0;
    rc = CLI_OK;
    if (ctx->json) printf("{\"quarantined\":[");
    uint32_t parts = ff_client_partitions(c);
    for (uint32_t p = 0; p < parts && rc == CLI_OK; p++) {
        char cursor[32] = "0";
        do {
            ff_op *op = NULL;
            char what[48];
            snprintf(what, sizeof what, "partition %u", (unsigned)p);
            if (cli_wait(ff_execution_list_quarantined(c, p, cursor, 1000, NULL, NULL, &op), &op, what) != FF_OK) {
                ff_op_free(op);
                rc = CLI_EOP;
                break;
            }
            for (size_t i = 0; i + 2 < ff_op_item_count(op); i += 3) {
                const char *id = ff_op_item(op, i), *at = ff_op_item(op, i + 1), *why = ff_op_item(op, i + 2);
                if (ctx->json) {
                    printf("%s{\"execution_id\":", rows ? "," : "");
                    cli_json_string(stdout, id, strlen(id));
                    printf(",\"quarantined_at\":%s,\"corrupt\":", at);
                    cli_json_string(stdout, why, strlen(why));
                    printf("}");
                } else {
                    cli_table_cell(t, "%s", id);
                    cli_table_cell(t, "%s", at);
                    cli_table_cell(t, "%s", why);
                }
                rows++;
            }
            snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
            ff_op_free(op);
        } while (strcmp(cursor, "0") != 0 && cursor[0]);
    }
    if (ctx->json) {
        printf("]}\n");
    } else if (rc == CLI_OK) {
        if (rows == 0)
            printf("(no quarantined executions)\n");
        else
            cli_table_print(t, stdout, 0);
    }
    cli_table_free(t);
    ff_client_free(c);
    return rc;
}

const cli_cmd cli_cmd_quarantined = {
    "quarantined",
    run_quarantined,
    "quarantined [--json]",
    "List executions set aside because their stored record is corrupt.",
    "A claim, sweep or retention pass that meets an execution whose core record\n"
    "cannot be read (a malformed state or number: a manual edit, a foreign writer)\n"
    "moves it out of its lane so it blocks nobody, and records which field was\n"
    "bad. 'ffctl describe ID' names the key and field. Repair the field (or delete\n"
    "the execution's keys); the engine's reconciler then puts a repaired execution\n"
    "back into its lane. --json prints {\"quarantined\":[{execution_id,\n"
    "quarantined_at, corrupt}]}.\n",
};
