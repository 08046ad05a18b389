/* Client-side validators (src/core/validate.h). */
#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "test_support.h"

static char *fill(char *buf, size_t n, char c)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

static void test_lane(void)
{
    char b[200];
    FFT_EQ_INT(ff__valid_lane("default"), 1);
    FFT_EQ_INT(ff__valid_lane("a"), 1);
    FFT_EQ_INT(ff__valid_lane("with space"), 1);
    FFT_EQ_INT(ff__valid_lane(" "), 1);
    FFT_EQ_INT(ff__valid_lane("~!@#$%^&*()_+{}|:\"<>?"), 1);
    FFT_EQ_INT(ff__valid_lane(fill(b, 64, 'x')), 1);
    FFT_EQ_INT(ff__valid_lane(fill(b, 65, 'x')), 0);
    FFT_EQ_INT(ff__valid_lane(""), 0);
    FFT_EQ_INT(ff__valid_lane(NULL), 0);
    FFT_EQ_INT(ff__valid_lane("tab\there"), 0);
    FFT_EQ_INT(ff__valid_lane("nl\n"), 0);
    FFT_EQ_INT(ff__valid_lane("\x01"), 0);
    FFT_EQ_INT(ff__valid_lane("\x1f"), 0);
    FFT_EQ_INT(ff__valid_lane("del\x7f"), 0);
    FFT_EQ_INT(ff__valid_lane("caf\xc3\xa9"), 0); /* non-ASCII */
    FFT_EQ_INT(ff__valid_lane("\x80"), 0);
    FFT_EQ_INT(ff__valid_lane("\xff"), 0);
}

static void test_namespace(void)
{
    char b[200];
    FFT_EQ_INT(ff__valid_namespace("default"), 1);
    FFT_EQ_INT(ff__valid_namespace(fill(b, 128, 'n')), 1);
    FFT_EQ_INT(ff__valid_namespace(fill(b, 129, 'n')), 0);
    FFT_EQ_INT(ff__valid_namespace(""), 0);
    FFT_EQ_INT(ff__valid_namespace(NULL), 0);
    FFT_EQ_INT(ff__valid_namespace("a\rb"), 0);
    FFT_EQ_INT(ff__valid_namespace("a\x7f"), 0);
    FFT_EQ_INT(ff__valid_namespace("\xc3\xa9"), 0);
}

static void test_kind(void)
{
    char b[300];
    FFT_EQ_INT(ff__valid_kind("send_email"), 1);
    FFT_EQ_INT(ff__valid_kind("caf\xc3\xa9"), 1); /* UTF-8 is fine in kinds */
    FFT_EQ_INT(ff__valid_kind(fill(b, 256, 'k')), 1);
    FFT_EQ_INT(ff__valid_kind(fill(b, 257, 'k')), 0);
    FFT_EQ_INT(ff__valid_kind(""), 0);
    FFT_EQ_INT(ff__valid_kind(NULL), 0);
    FFT_EQ_INT(ff__valid_kind("a\tb"), 0);
    FFT_EQ_INT(ff__valid_kind("a\x7f"), 0);
    FFT_EQ_INT(ff__valid_kind("\x1b[0m"), 0);
    /* invalid UTF-8 is refused (it would be stored and then describe as '') */
    FFT_EQ_INT(ff__valid_kind("\xff"), 0);
    FFT_EQ_INT(ff__valid_kind("\xc0\xaf"), 0);     /* overlong */
    FFT_EQ_INT(ff__valid_kind("\xed\xa0\x80"), 0); /* surrogate */
    FFT_EQ_INT(ff__valid_kind("\xf4\x90\x80\x80"), 0); /* above U+10FFFF */
    FFT_EQ_INT(ff__valid_kind("\xf0\x9f\x98\x80"), 1);
}

static void test_capability(void)
{
    FFT_EQ_INT(ff__valid_capability("gpu"), 1);
    FFT_EQ_INT(ff__valid_capability("region:eu-west-1"), 1);
    FFT_EQ_INT(ff__valid_capability("a=b"), 1);
    FFT_EQ_INT(ff__valid_capability("\xc3\xa9"), 1);
    FFT_EQ_INT(ff__valid_capability(""), 0);
    FFT_EQ_INT(ff__valid_capability("gpu\xff"), 0);
    FFT_EQ_INT(ff__valid_capability(NULL), 0);
    FFT_EQ_INT(ff__valid_capability("a,b"), 0);
    FFT_EQ_INT(ff__valid_capability(","), 0);
    FFT_EQ_INT(ff__valid_capability("a b"), 0);
    FFT_EQ_INT(ff__valid_capability(" "), 0);
    FFT_EQ_INT(ff__valid_capability("gpu\t"), 0);
    FFT_EQ_INT(ff__valid_capability("\ngpu"), 0);
    FFT_EQ_INT(ff__valid_capability("g\x01pu"), 0);
    FFT_EQ_INT(ff__valid_capability("gpu\x7f"), 0);
}

static void test_text(void)
{
    char b[64];
    FFT_EQ_INT(ff__valid_text("", 0), 1);
    FFT_EQ_INT(ff__valid_text("abc", 3), 1);
    FFT_EQ_INT(ff__valid_text("abcd", 3), 0);
    FFT_EQ_INT(ff__valid_text(fill(b, 10, 'x'), 10), 1);
    FFT_EQ_INT(ff__valid_text(fill(b, 11, 'x'), 10), 0);
    FFT_EQ_INT(ff__valid_text(NULL, 10), 0);
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_lane);
    RUN(test_namespace);
    RUN(test_kind);
    RUN(test_capability);
    RUN(test_text);
    printf("test_validate: all %d tests passed\n", n);
    return 0;
}
