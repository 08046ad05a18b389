#include "core/ids.h"

#include <stdio.h>
#include <string.h>

#include "core/crc16.h"
#include "core/uuid.h"

int ff__eid_parse(const char *eid, uint32_t *partition) {
    if (eid == NULL || strncmp(eid, "{fp:", 4) != 0) return -1;
    const char *p = eid + 4;
    uint32_t n = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        n = n * 10 + (uint32_t)(*p - '0');
        if (++digits > 5 || n > 65535) return -1;
        p++;
    }
    if (digits == 0 || (digits > 1 && p[-digits] == '0')) return -1;
    if (p[0] != '}' || p[1] != ':') return -1;
    p += 2;
    if (!ff__uuid_valid(p, strlen(p))) return -1;
    if (partition) *partition = n;
    return 0;
}

int ff__eid_mint(uint32_t partition, char out[FF_EID_MAX]) {
    char u[FF_UUID_STRLEN + 1];
    if (ff__uuid_v7(u) != 0) return -1;
    snprintf(out, FF_EID_MAX, "{fp:%u}:%s", (unsigned)partition, u);
    return 0;
}

uint32_t ff__lane_partition(const char *lane, uint32_t shard, uint32_t partitions) {
    if (partitions == 0) return 0;
    if (shard == 0) return ff__crc16(lane, strlen(lane)) % partitions;
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%s#%u", lane, (unsigned)shard);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    return ff__crc16(buf, (size_t)n) % partitions;
}

void ff__partition_tag(uint32_t partition, char *out, size_t cap) {
    snprintf(out, cap, "{fp:%u}", (unsigned)partition);
}
