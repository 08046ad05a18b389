#!/usr/bin/env bash
# The install works as a user would use it: `cmake --install BUILD --prefix P`
# into a temp prefix, then a tiny C program built with
# `pkg-config --cflags --libs flowfabric` (PKG_CONFIG_PATH=P/.../pkgconfig)
# runs, statically linked too (Requires.private is complete), and so does
# the installed ffctl; all of it again after the prefix directory is moved
# (the .pc file finds its prefix from ${pcfiledir}).
#
#   check_install.sh BUILD_DIR
set -euo pipefail

BUILD=${1:?usage: check_install.sh BUILD_DIR}
CC=${CC:-cc}
TMP=$(mktemp -d /tmp/ffinst.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1"; [ -s "$TMP/log" ] && sed 's/^/    | /' "$TMP/log" | tail -20; return 0; }

cat >"$TMP/hello.c" <<'EOF'
#include <flowfabric.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    /* no server needed: the URL parser (liburiparser) refuses this URL */
    ff_client_opts *o = NULL;
    ff_client *c = NULL;
    if (ff_client_opts_new(&o) != FF_OK || ff_client_opts_set_url(o, "redis://:%zz@127.0.0.1:1") != FF_OK) return 1;
    int st = ff_client_new(&c, o, NULL, 0);
    ff_client_opts_free(o);
    if (st != FF_EINVAL || strstr(ff_error_detail(st), "password") == NULL) return 2;
    printf("hello from flowfabric %s\n", ff_version_string());
    return 0;
}
EOF
VERSION=$("$BUILD/ffctl" version --json | sed 's/.*"version":"\([^"]*\)".*/\1/')

# check PREFIX LABEL: build and run against the install in PREFIX.
check() {
    local prefix=$1 label=$2 pc libdir
    pc=$(find "$prefix" -name flowfabric.pc | head -n1)
    if [ -z "$pc" ]; then not_ok "$label: flowfabric.pc installed"; return; fi
    export PKG_CONFIG_PATH
    PKG_CONFIG_PATH=$(dirname "$pc")
    libdir=$(pkg-config --variable=libdir flowfabric)
    case "$(cd "$libdir" 2>/dev/null && pwd -P)" in
        "$(cd "$prefix" && pwd -P)"/*) ok "$label: the .pc libdir lies in the prefix" ;;
        *) not_ok "$label: the .pc libdir ($libdir) lies in the prefix" ;;
    esac
    # shellcheck disable=SC2046
    if $CC "$TMP/hello.c" $(pkg-config --cflags --libs flowfabric) -o "$TMP/hello" >"$TMP/log" 2>&1 &&
        LD_LIBRARY_PATH=$libdir "$TMP/hello" >"$TMP/out" 2>"$TMP/log" &&
        grep -qx "hello from flowfabric $VERSION" "$TMP/out"; then
        ok "$label: a program built with pkg-config --cflags --libs runs (LD_LIBRARY_PATH=libdir)"
    else
        not_ok "$label: a program built with pkg-config --cflags --libs runs"
    fi
    # shellcheck disable=SC2046
    if $CC "$TMP/hello.c" $(pkg-config --cflags --libs flowfabric) -Wl,-rpath,"$libdir" -o "$TMP/hello_rpath" \
        >"$TMP/log" 2>&1 && env -u LD_LIBRARY_PATH "$TMP/hello_rpath" >"$TMP/out" 2>"$TMP/log"; then
        ok "$label: ... or with -Wl,-rpath,\$(pkg-config --variable=libdir flowfabric)"
    else
        not_ok "$label: a program built with an rpath to libdir runs"
    fi
    # static: libflowfabric.a plus what `pkg-config --static` lists
    # shellcheck disable=SC2046
    if $CC "$TMP/hello.c" $(pkg-config --cflags flowfabric) "$libdir/libflowfabric.a" \
        $(pkg-config --static --libs flowfabric | sed 's/-lflowfabric//') -o "$TMP/hello_static" >"$TMP/log" 2>&1 &&
        "$TMP/hello_static" >"$TMP/out" 2>"$TMP/log"; then
        ok "$label: statically linked with pkg-config --static --libs"
    else
        not_ok "$label: statically linked with pkg-config --static --libs"
    fi
    if "$prefix/bin/ffctl" --version >"$TMP/out" 2>"$TMP/log" && grep -q "^ffctl $VERSION " "$TMP/out" &&
        "$prefix/bin/ffctl" --help >"$TMP/log" 2>&1; then
        ok "$label: the installed ffctl runs (--version, --help)"
    else
        not_ok "$label: the installed ffctl runs"
    fi
}

if cmake --install "$BUILD" --prefix "$TMP/p1" >"$TMP/log" 2>&1; then
    ok "cmake --install --prefix"
else
    not_ok "cmake --install --prefix"
fi
[ -f "$TMP/p1/include/flowfabric.h" ] && ok "headers installed" || not_ok "headers installed"
check "$TMP/p1" "installed"
mv "$TMP/p1" "$TMP/moved"
check "$TMP/moved" "moved"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
