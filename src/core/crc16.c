#include "core/crc16.h"

uint16_t ff__crc16(const void *data, size_t len) {
    const unsigned char *p = data;
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++) {
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

uint16_t ff__key_slot(const char *key, size_t len) {
    size_t open = 0;
    while (open < len && key[open] != '{') open++;
    if (open < len) {
        size_t close = open + 1;
        while (close < len && key[close] != '}') close++;
        if (close < len && close > open + 1) {
            return ff__crc16(key + open + 1, close - open - 1) & 16383;
        }
    }
    return ff__crc16(key, len) & 16383;
}
