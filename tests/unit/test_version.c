/* Version functions agree with the version macros. */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static void test_version_string(void)
{
    char expect[64];
    snprintf(expect, sizeof expect, "%d.%d.%d", FF_VERSION_MAJOR, FF_VERSION_MINOR, FF_VERSION_PATCH);
    FFT_CHECK(ff_version_string() != NULL);
    FFT_EQ_STR(ff_version_string(), expect);
    /* static storage: the same pointer every time */
    FFT_CHECK(ff_version_string() == ff_version_string());
}

static void test_version_number(void)
{
    FFT_EQ_INT(FF_VERSION_NUMBER, FF_VERSION_MAJOR * 10000 + FF_VERSION_MINOR * 100 + FF_VERSION_PATCH);
    FFT_EQ_INT(ff_version_number(), FF_VERSION_NUMBER);
    FFT_EQ_INT(ff_abi_version(), FF_ABI_VERSION);
    FFT_CHECK(ff_abi_version() >= 1);
}

static void test_lua_library_version(void)
{
    const char *v = ff_lua_library_version();
    FFT_CHECK(v != NULL);
    FFT_CHECK(v[0] != '\0');
    for (const char *p = v; *p; p++) FFT_CHECK_MSG(*p > 0x20 && *p < 0x7f, "odd byte in lua version \"%s\"", v);
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_version_string);
    RUN(test_version_number);
    RUN(test_lua_library_version);
    printf("test_version: all %d tests passed\n", n);
    return 0;
}
