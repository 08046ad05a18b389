/* src/proto/keys.{h,c} (generated from bindings/gen/keys.def): the builders
 * spell the names the Lua library uses, refuse to truncate silently, and the
 * channel parsers accept exactly the names the builders make. */
#include <stdio.h>
#include <string.h>

#include "proto/keys.h"
#include "test_support.h"

static void test_builders(void)
{
    char b[128];
    FFT_EQ_INT(ff__key_core(b, sizeof b, "{fp:3}:u"), (int)strlen("ff:e:{fp:3}:u"));
    FFT_EQ_STR(b, "ff:e:{fp:3}:u");
    ff__key_lane(b, sizeof b, 7, "default", "eligible");
    FFT_EQ_STR(b, "ff:i:{fp:7}:default:eligible");
    ff__key_pindex(b, sizeof b, 0, "quarantine");
    FFT_EQ_STR(b, "ff:i:{fp:0}:quarantine");
    ff__key_lanes(b, sizeof b, 65535);
    FFT_EQ_STR(b, "ff:i:{fp:65535}:lanes");
    ff__key_sec(b, sizeof b, 2);
    FFT_EQ_STR(b, "ff:sec:{fp:2}");
    ff__key_due(b, sizeof b, 2);
    FFT_EQ_STR(b, "ff:i:{fp:2}:due");
    ff__chan_wake(b, sizeof b, 1);
    FFT_EQ_STR(b, "ff:wake:{fp:1}");
    ff__chan_done(b, sizeof b, 1);
    FFT_EQ_STR(b, "ff:done:{fp:1}");
    ff__chan_due(b, sizeof b, 1);
    FFT_EQ_STR(b, "ff:due:{fp:1}");
    FFT_EQ_STR(FF__KEY_CONFIG, "ff:config");
    FFT_EQ_STR(FF__KEY_ENGINES, "ff:{e}:engines");
    FFT_EQ_STR(FF__KEY_ENGINES_INFO, "ff:{e}:info");
}

static void test_no_silent_truncation(void)
{
    char b[8];
    FFT_EQ_INT(ff__chan_done(b, sizeof b, 1), -1);
    char exact[sizeof "ff:done:{fp:1}"];
    FFT_EQ_INT(ff__chan_done(exact, sizeof exact, 1), (int)sizeof exact - 1);
}

static void test_parsers(void)
{
    uint32_t p = 99;
    char b[64];
    for (uint32_t part = 0; part < 70000; part += 6999) {
        ff__chan_done(b, sizeof b, part);
        FFT_EQ_INT(ff__chan_done_parse(b, &p), 0);
        FFT_EQ_INT(p, part);
        ff__chan_due(b, sizeof b, part);
        FFT_EQ_INT(ff__chan_due_parse(b, &p), 0);
        FFT_EQ_INT(p, part);
    }
    const char *bad[] = {"ff:done:{fp:}", "ff:done:{fp:01}", "ff:done:{fp:1}x", "ff:done:{fp:1",
                         "ff:due:{fp:1}", "ff:done:{fp:-1}", "ff:done:{fp:99999999999}", "", "ff:done:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) FFT_EQ_INT(ff__chan_done_parse(bad[i], &p), -1);
    FFT_EQ_INT(ff__chan_done_parse(NULL, &p), -1);
    FFT_EQ_INT(ff__chan_wake_parse("ff:wake:{fp:0}", &p), 0);
    FFT_EQ_INT(p, 0);
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_builders);
    RUN(test_no_silent_truncation);
    RUN(test_parsers);
    printf("test_keys: all %d tests passed\n", n);
    return 0;
}
