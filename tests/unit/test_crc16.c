/* CRC16/XMODEM and Redis Cluster key slots (src/core/crc16.h). */
#include <stdio.h>
#include <string.h>

#include "core/crc16.h"
#include "core/ids.h"
#include "test_support.h"

static uint16_t slot(const char *key) { return ff__key_slot(key, strlen(key)); }

static void test_crc16_check_value(void)
{
    /* The catalogue "check" value of CRC-16/XMODEM. */
    FFT_EQ_INT(ff__crc16("123456789", 9), 0x31C3);
    FFT_EQ_INT(ff__crc16("", 0), 0);
    FFT_EQ_INT(ff__crc16("a", 1), 0x7C87);
    FFT_EQ_INT(ff__crc16("foo", 3), 0xAF96);
}

static void test_crc16_binary_safe(void)
{
    const char with_nul[] = {'a', '\0', 'b'};
    const char other[] = {'a', '\0', 'c'};
    /* NUL bytes take part in the sum (a strlen-based CRC would see only "a") */
    FFT_CHECK(ff__crc16(with_nul, 3) != ff__crc16("a", 1));
    FFT_CHECK(ff__crc16(with_nul, 3) != ff__crc16(other, 3));
    /* high bytes are not sign-extended */
    unsigned char hi[] = {0xff, 0x80, 0xfe};
    uint16_t a = ff__crc16(hi, 3);
    uint16_t b = ff__crc16(hi, 3);
    FFT_EQ_INT(a, b);
}

static void test_key_slot_plain(void)
{
    FFT_EQ_INT(slot("foo"), 12182);
    FFT_EQ_INT(slot("bar"), 5061);
    FFT_EQ_INT(slot("hello"), 866);
    FFT_EQ_INT(slot("123456789"), 12739);
    FFT_EQ_INT(slot(""), 0);
}

static void test_key_slot_hash_tags(void)
{
    FFT_EQ_INT(slot("{user1000}.following"), slot("{user1000}.followers"));
    FFT_EQ_INT(slot("{user1000}.following"), 3443);
    FFT_EQ_INT(slot("{user1000}"), slot("user1000"));
    /* empty tag: the WHOLE key is hashed */
    FFT_EQ_INT(slot("{}foo"), 9500);
    FFT_EQ_INT(slot("{}foo"), ff__crc16("{}foo", 5) & 16383);
    FFT_CHECK(slot("{}foo") != slot("foo"));
    /* only the first '{' counts; an empty first tag disables tagging */
    FFT_EQ_INT(slot("foo{}{bar}"), ff__crc16("foo{}{bar}", 10) & 16383);
    FFT_EQ_INT(slot("foo{bar}{zap}"), slot("bar"));
    FFT_EQ_INT(slot("foo{{bar}}zap"), ff__crc16("{bar", 4) & 16383);
    /* unterminated tag: whole key */
    FFT_EQ_INT(slot("foo{bar"), ff__crc16("foo{bar", 7) & 16383);
    /* a '}' before any '{' does not start a tag */
    FFT_EQ_INT(slot("}x{y}"), slot("y"));
}

static void test_key_slot_length_is_honoured(void)
{
    /* the len argument bounds the key: "foo" inside a longer buffer */
    FFT_EQ_INT(ff__key_slot("foobar", 3), 12182);
    /* a tag that closes beyond len is not a tag */
    FFT_EQ_INT(ff__key_slot("{ab}", 3), ff__crc16("{ab", 3) & 16383);
    /* binary key with a NUL inside the tag */
    const char k[] = {'{', 'a', '\0', 'b', '}', 'x'};
    FFT_EQ_INT(ff__key_slot(k, sizeof k), ff__crc16(k + 1, 3) & 16383);
}

static void test_partition_tag_slots(void)
{
    char tag[32];
    ff__partition_tag(7, tag, sizeof tag);
    FFT_EQ_STR(tag, "{fp:7}");
    FFT_EQ_INT(slot(tag), 2729);
    FFT_EQ_INT(slot(tag), ff__crc16("fp:7", 4) & 16383);
    /* every key of a partition shares the tag's slot */
    FFT_EQ_INT(slot("ff:e:{fp:7}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc"), slot(tag));
    FFT_EQ_INT(slot("ff:i:{fp:7}:lane-x:eligible"), slot(tag));
    FFT_EQ_INT(slot("ff:i:{fp:7}:lease_expiry"), slot(tag));
    /* ...even when the lane name itself contains braces: the FIRST tag wins */
    FFT_EQ_INT(slot("ff:i:{fp:7}:{odd}lane:eligible"), slot(tag));
    FFT_EQ_INT(slot("{fp:0}"), 14926);
    ff__partition_tag(65535, tag, sizeof tag);
    FFT_EQ_STR(tag, "{fp:65535}");
    /* distinct partitions are (for these) distinct slots */
    FFT_CHECK(slot("{fp:0}") != slot("{fp:7}"));
}

static void test_lane_partition(void)
{
    const char *lanes[] = {"default", "emails", "a", "lane with spaces", "~!@#$%^&*()"};
    for (size_t i = 0; i < sizeof lanes / sizeof lanes[0]; i++) {
        const char *l = lanes[i];
        FFT_EQ_INT(ff__lane_partition(l, 0, 256), ff__crc16(l, strlen(l)) % 256);
        FFT_EQ_INT(ff__lane_partition(l, 0, 1), 0);
        FFT_CHECK(ff__lane_partition(l, 0, 16) < 16);
        /* shard n>0 hashes "<lane>#<n>" */
        char buf[128];
        snprintf(buf, sizeof buf, "%s#%u", l, 3u);
        FFT_EQ_INT(ff__lane_partition(l, 3, 256), ff__crc16(buf, strlen(buf)) % 256);
        /* deterministic */
        FFT_EQ_INT(ff__lane_partition(l, 0, 256), ff__lane_partition(l, 0, 256));
    }
    /* zero partitions must not divide by zero */
    FFT_EQ_INT(ff__lane_partition("x", 0, 0), 0);
    /* a 64-byte lane with a large shard number does not overflow */
    char big[65];
    memset(big, 'z', 64);
    big[64] = '\0';
    FFT_CHECK(ff__lane_partition(big, 4000000000u, 256) < 256);
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_crc16_check_value);
    RUN(test_crc16_binary_safe);
    RUN(test_key_slot_plain);
    RUN(test_key_slot_hash_tags);
    RUN(test_key_slot_length_is_honoured);
    RUN(test_partition_tag_slots);
    RUN(test_lane_partition);
    printf("test_crc16: all %d tests passed\n", n);
    return 0;
}
