#ifndef FF_CORE_CRC16_H
#define FF_CORE_CRC16_H

#include <stddef.h>
#include <stdint.h>

/* CRC16/XMODEM (poly 0x1021, init 0): the hash Redis Cluster uses for slots
 * and FlowFabric uses for partitions. */
uint16_t ff__crc16(const void *data, size_t len);

/* Redis Cluster slot of a key (honours the first non-empty {hash tag}). */
uint16_t ff__key_slot(const char *key, size_t len);

#endif
