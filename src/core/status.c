/* Status table accessors, all generated from status.def. */
#include "flowfabric/status.h"

#include <string.h>

typedef struct status_row {
    int value;
    const char *name;
    const char *group;
    const char *token;
    const char *message;
} status_row;

static const status_row k_rows[] = {
#define FF_STATUS(NAME, VALUE, GROUP, TOKEN, MESSAGE) {VALUE, "FF_" #NAME, GROUP, TOKEN, MESSAGE},
#include "status.def"
#undef FF_STATUS
};

#define ROW_COUNT (sizeof(k_rows) / sizeof(k_rows[0]))

static const status_row *find_row(int status) {
    for (size_t i = 0; i < ROW_COUNT; i++) {
        if (k_rows[i].value == status) return &k_rows[i];
    }
    return NULL;
}

const char *ff_strerror(int status) {
    const status_row *r = find_row(status);
    return r ? r->message : "unknown status";
}

const char *ff_status_name(int status) {
    const status_row *r = find_row(status);
    return r ? r->name : "FF_UNKNOWN";
}

const char *ff_status_group(int status) {
    const status_row *r = find_row(status);
    return r ? r->group : "generic";
}

const char *ff_status_server_token(int status) {
    const status_row *r = find_row(status);
    return r ? r->token : "";
}

int ff_status_from_server_token(const char *token) {
    if (token == NULL || token[0] == '\0') return FF_ESERVER;
    for (size_t i = 0; i < ROW_COUNT; i++) {
        if (k_rows[i].token[0] != '\0' && strcmp(k_rows[i].token, token) == 0) return k_rows[i].value;
    }
    return FF_ESERVER;
}

size_t ff_status_list(int32_t *out, size_t cap) {
    for (size_t i = 0; i < ROW_COUNT && out != NULL && i < cap; i++) out[i] = k_rows[i].value;
    return ROW_COUNT;
}
