/* Routing (see route.h). */
#include "client/route.h"

#include <stdlib.h>
#include <strings.h>

const char *ff__cmd_first_key(const ff__cmd *cmd, size_t *len) {
    *len = 0;
    if (cmd == NULL || cmd->argc < 2) return NULL;
    int idx = 1;
    if (strncasecmp(cmd->argv[0], "FCALL", 5) == 0) {
        if (cmd->argc < 4 || strtol(cmd->argv[2], NULL, 10) <= 0) return NULL;
        idx = 3;
    }
    *len = cmd->argvlen[idx];
    return cmd->argv[idx];
}

struct ff__link *ff__route(ff_client *c, const ff__cmd *cmd) {
    /* One node: the key does not choose yet. With a cluster this becomes
     * crc16(hash tag of ff__cmd_first_key) -> slot -> that node's link. */
    (void)cmd;
    atomic_fetch_add_explicit(&c->routed, 1, memory_order_relaxed);
    return c->link;
}
