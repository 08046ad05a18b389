/* Execution ids and uuids (src/core/ids.h, src/core/uuid.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"
#include "core/uuid.h"
#include "test_support.h"

#define U1 "0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc"

static int parse(const char *eid, uint32_t *part)
{
    *part = 0xdeadbeef;
    return ff__eid_parse(eid, part);
}

static void test_eid_parse_valid(void)
{
    uint32_t p;
    FFT_EQ_INT(parse("{fp:0}:" U1, &p), 0);
    FFT_EQ_INT(p, 0);
    FFT_EQ_INT(parse("{fp:7}:" U1, &p), 0);
    FFT_EQ_INT(p, 7);
    FFT_EQ_INT(parse("{fp:255}:" U1, &p), 0);
    FFT_EQ_INT(p, 255);
    FFT_EQ_INT(parse("{fp:65535}:" U1, &p), 0);
    FFT_EQ_INT(p, 65535);
    /* partition pointer is optional */
    FFT_EQ_INT(ff__eid_parse("{fp:12}:" U1, NULL), 0);
}

static void test_eid_parse_rejects(void)
{
    static const char *const bad[] = {
        "",                                       /* empty */
        U1,                                       /* missing tag */
        "fp:1:" U1,                               /* tag without braces */
        "{fp:1}" U1,                              /* no ':' after the tag */
        "{fp:1}:",                                /* no uuid */
        "{fp:}:" U1,                              /* no number */
        "{fp:65536}:" U1,                         /* N > 65535 */
        "{fp:99999}:" U1,                         /* N > 65535 */
        "{fp:4294967297}:" U1,                    /* u32 wrap-around must not pass */
        "{fp:100000}:" U1,                        /* 6 digits */
        "{fp:01}:" U1,                            /* leading zero */
        "{fp:00}:" U1,                            /* leading zero */
        "{fp:-1}:" U1,                            /* sign */
        "{fp:+1}:" U1,                            /* sign */
        "{fp: 1}:" U1,                            /* space */
        "{fp:1x}:" U1,                            /* junk in the number */
        "{FP:1}:" U1,                             /* tag is case-sensitive */
        "{fp:1}:0B4A3C2E-1F00-4A6B-9C3D-2E1F00AABBCC", /* uppercase uuid */
        "{fp:1}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcC", /* one uppercase digit */
        "{fp:1}:" U1 "x",                         /* trailing junk */
        "{fp:1}:" U1 " ",                         /* trailing space */
        "{fp:1}:" U1 "\n",                        /* trailing newline */
        " {fp:1}:" U1,                            /* leading space */
        "{fp:1}:0b4a3c2e1f004a6b9c3d2e1f00aabbcc", /* no hyphens */
        "{fp:1}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbc",  /* short */
        "{fp:1}:0b4a3c2e-1f004-a6b-9c3d-2e1f00aabbcc", /* misplaced hyphen */
        "{fp:1}:0b4a3c2g-1f00-4a6b-9c3d-2e1f00aabbcc", /* non-hex */
        "{fp:1}:{fp:1}:" U1,                      /* doubled tag */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t p;
        int rc = parse(bad[i], &p);
        FFT_CHECK_MSG(rc == -1, "ff__eid_parse accepted \"%s\"", bad[i]);
    }
    FFT_EQ_INT(ff__eid_parse(NULL, NULL), -1);
    /* an embedded NUL ends the string: what follows is not seen, so the id
     * before it must itself be incomplete */
    const char trunc[] = "{fp:1}:0b4a3c2e-1f00\0-4a6b-9c3d-2e1f00aabbcc";
    FFT_EQ_INT(ff__eid_parse(trunc, NULL), -1);
}

static void test_eid_mint(void)
{
    char a[FF_EID_MAX], b[FF_EID_MAX];
    uint32_t parts[] = {0, 1, 7, 255, 1000, 65535};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        uint32_t p = 0;
        memset(a, 'X', sizeof a);
        FFT_EQ_INT(ff__eid_mint(parts[i], a), 0);
        FFT_CHECK(memchr(a, '\0', sizeof a) != NULL);
        FFT_EQ_INT(ff__eid_parse(a, &p), 0);
        FFT_EQ_INT(p, parts[i]);
        char expect_prefix[32];
        int n = snprintf(expect_prefix, sizeof expect_prefix, "{fp:%u}:", (unsigned)parts[i]);
        FFT_CHECK(strncmp(a, expect_prefix, (size_t)n) == 0);
        FFT_EQ_INT(strlen(a), (size_t)n + FF_UUID_STRLEN);
    }
    /* the longest id fits FF_EID_MAX with its NUL */
    FFT_CHECK(strlen("{fp:65535}:") + FF_UUID_STRLEN + 1 <= FF_EID_MAX);
    FFT_EQ_INT(ff__eid_mint(3, a), 0);
    FFT_EQ_INT(ff__eid_mint(3, b), 0);
    FFT_CHECK(strcmp(a, b) != 0);
}

static int is_hex_lower(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

static void check_v4(const char *u)
{
    FFT_EQ_INT(strlen(u), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            FFT_CHECK_MSG(u[i] == '-', "uuid %s: no hyphen at %d", u, i);
        else
            FFT_CHECK_MSG(is_hex_lower(u[i]), "uuid %s: bad char at %d", u, i);
    }
    FFT_CHECK_MSG(u[14] == '4', "uuid %s: version nibble is not 4", u);
    FFT_CHECK_MSG(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b',
                  "uuid %s: variant bits are not 10xx", u);
    FFT_EQ_INT(ff__uuid_valid(u, strlen(u)), 1);
}

static void test_uuid_v4_format(void)
{
    enum { N = 2000 };
    static char seen[N][FF_UUID_STRLEN + 1];
    int variant_seen[4] = {0, 0, 0, 0};
    for (int i = 0; i < N; i++) {
        FFT_EQ_INT(ff__uuid_v4(seen[i]), 0);
        check_v4(seen[i]);
        char v = seen[i][19];
        variant_seen[v == '8' ? 0 : v == '9' ? 1 : v == 'a' ? 2 : 3]++;
    }
    /* all four variant nibbles occur (random bits below the variant) */
    for (int k = 0; k < 4; k++) FFT_CHECK(variant_seen[k] > 0);
    /* no duplicates */
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            FFT_CHECK_MSG(strcmp(seen[i], seen[j]) != 0, "duplicate uuid %s", seen[i]);
}

static void test_uuid_valid(void)
{
    FFT_EQ_INT(ff__uuid_valid(U1, 36), 1);
    FFT_EQ_INT(ff__uuid_valid("00000000-0000-0000-0000-000000000000", 36), 1);
    FFT_EQ_INT(ff__uuid_valid("0B4A3C2E-1F00-4A6B-9C3D-2E1F00AABBCC", 36), 0);
    FFT_EQ_INT(ff__uuid_valid(U1 "0", 37), 0);
    FFT_EQ_INT(ff__uuid_valid(U1, 35), 0);
    FFT_EQ_INT(ff__uuid_valid("", 0), 0);
    FFT_EQ_INT(ff__uuid_valid("0b4a3c2e-1f00-4a6b-9c3d_2e1f00aabbcc", 36), 0);
    FFT_EQ_INT(ff__uuid_valid("0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbc-", 36), 0);
    FFT_EQ_INT(ff__uuid_valid("{b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc", 36), 0);
    /* a NUL inside the 36 bytes is not a hex digit */
    const char nul[] = "0b4a3c2e-1f00-4a6b-9c3d-2e1f00aa\0bcc";
    FFT_EQ_INT(ff__uuid_valid(nul, 36), 0);
}

static uint64_t v7_ms(const char *u)
{
    /* the first 48 bits: 8 + 4 hex digits around the first hyphen */
    char hex[13];
    memcpy(hex, u, 8);
    memcpy(hex + 8, u + 9, 4);
    hex[12] = '\0';
    return strtoull(hex, NULL, 16);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_uuid_v7_format_and_order(void)
{
    enum { N = 20000 };
    static char u[N][FF_UUID_STRLEN + 1];
    uint64_t before = now_ms();
    for (int i = 0; i < N; i++) FFT_EQ_INT(ff__uuid_v7(u[i]), 0);
    uint64_t after = now_ms();
    for (int i = 0; i < N; i++) {
        FFT_EQ_INT(strlen(u[i]), 36);
        FFT_EQ_INT(ff__uuid_valid(u[i], 36), 1);
        FFT_CHECK_MSG(u[i][14] == '7', "uuid %s: version nibble is not 7", u[i]);
        FFT_CHECK_MSG(u[i][19] == '8' || u[i][19] == '9' || u[i][19] == 'a' || u[i][19] == 'b',
                      "uuid %s: variant bits are not 10xx", u[i]);
        /* strictly increasing, as strings (what a sorted set compares) */
        if (i > 0) FFT_CHECK_MSG(strcmp(u[i - 1], u[i]) < 0, "v7 ids not increasing: %s then %s", u[i - 1], u[i]);
        /* the timestamp is the mint time; a full per-ms counter may borrow
         * the next millisecond, at most one per 4096 ids */
        uint64_t ms = v7_ms(u[i]);
        FFT_CHECK_MSG(ms >= before && ms <= after + (uint64_t)(N / 4096) + 1, "uuid %s: timestamp %llu outside [%llu, %llu]",
                      u[i], (unsigned long long)ms, (unsigned long long)before, (unsigned long long)after);
    }
    /* minted execution ids carry v7 uuids, so they sort in mint order too */
    char a[FF_EID_MAX], b[FF_EID_MAX];
    FFT_EQ_INT(ff__eid_mint(9, a), 0);
    FFT_EQ_INT(ff__eid_mint(9, b), 0);
    FFT_CHECK(strcmp(a, b) < 0);
}

enum { V7_THREADS = 4, V7_PER = 5000 };
static char g_v7[V7_THREADS][V7_PER][FF_UUID_STRLEN + 1];

static void *v7_main(void *p)
{
    char (*mine)[FF_UUID_STRLEN + 1] = p;
    for (int i = 0; i < V7_PER; i++)
        if (ff__uuid_v7(mine[i]) != 0) mine[i][0] = '\0';
    return NULL;
}

static int cmp_uuid(const void *x, const void *y) { return strcmp((const char *)x, (const char *)y); }

static void test_uuid_v7_threads(void)
{
    pthread_t th[V7_THREADS];
    for (int t = 0; t < V7_THREADS; t++) FFT_EQ_INT(pthread_create(&th[t], NULL, v7_main, g_v7[t]), 0);
    for (int t = 0; t < V7_THREADS; t++) pthread_join(th[t], NULL);
    for (int t = 0; t < V7_THREADS; t++)
        for (int i = 1; i < V7_PER; i++) FFT_CHECK(strcmp(g_v7[t][i - 1], g_v7[t][i]) < 0);
    /* unique across threads */
    qsort(g_v7, V7_THREADS * V7_PER, FF_UUID_STRLEN + 1, cmp_uuid);
    char (*all)[FF_UUID_STRLEN + 1] = g_v7[0];
    for (int i = 1; i < V7_THREADS * V7_PER; i++)
        FFT_CHECK_MSG(strcmp(all[i - 1], all[i]) != 0, "duplicate v7 uuid %s", all[i]);
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_eid_parse_valid);
    RUN(test_eid_parse_rejects);
    RUN(test_eid_mint);
    RUN(test_uuid_v4_format);
    RUN(test_uuid_valid);
    RUN(test_uuid_v7_format_and_order);
    RUN(test_uuid_v7_threads);
    printf("test_ids: all %d tests passed\n", n);
    return 0;
}
