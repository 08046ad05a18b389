/* Execution ids and partition math. */
#ifndef FF_CORE_IDS_H
#define FF_CORE_IDS_H

#include <stddef.h>
#include <stdint.h>

/* "{fp:65535}:" + uuid + NUL */
#define FF_EID_MAX 64

/* Parse "{fp:N}:<uuid>". On success stores N in *partition and returns 0;
 * returns -1 for anything malformed (missing tag, N not a u16, bad uuid). */
int ff__eid_parse(const char *eid, uint32_t *partition);

/* Mint a fresh id on @p partition into out. Returns 0 or -1 (no entropy). */
int ff__eid_mint(uint32_t partition, char out[FF_EID_MAX]);

/* Partition of solo executions of @p lane, shard @p shard of @p shards:
 * crc16(lane) % partitions for shard 0, crc16(lane "#" shard) otherwise. */
uint32_t ff__lane_partition(const char *lane, uint32_t shard, uint32_t partitions);

/* Writes "{fp:N}" into out (>= 16 bytes). */
void ff__partition_tag(uint32_t partition, char *out, size_t cap);

#endif
