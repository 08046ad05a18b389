#!/usr/bin/env bash
# The `python` ctest (tests/CMakeLists.txt) runs this.
#
# With <repo>/.venv present (`make test` creates it with the documented offline
# install), the suite runs against the INSTALLED package, and its bundled
# libflowfabric: the package is reinstalled first if python/, the cdef or the
# built library changed since the last install. Without the venv, it runs
# python/ from the source tree (PYTHONPATH) with $FF_PYTHON3 (/usr/bin/python3).
#
# pytest exits 5 when nothing was collected; ctest reports that as skipped.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
venv=$root/.venv
stamp=$venv/.flowfabric-installed
args=(-m pytest python/tests -q -p no:cacheprovider "$@")

if [ -x "$venv/bin/python" ] && [ -x "$venv/bin/pip" ]; then
    lib=${FF_BUILD_DIR:-$root/build}/libflowfabric.so
    if [ ! -e "$stamp" ] || [ -n "$(find python/flowfabric python/setup.py python/pyproject.toml \
            bindings/ff_cdef.h "$lib" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
        echo "python tests: (re)installing ./python into .venv"
        "$venv/bin/pip" install --no-index --no-build-isolation -q ./python
        touch "$stamp"
    fi
    unset FF_LIBRARY PYTHONPATH   # the installed package finds its bundled library
    echo "python tests: installed package, $("$venv/bin/python" -c 'import flowfabric as f; print(f.__file__, f.LIBRARY_PATH)')"
    exec "$venv/bin/python" "${args[@]}"
fi

py=${FF_PYTHON3:-/usr/bin/python3}
export PYTHONPATH=$root/python${PYTHONPATH:+:$PYTHONPATH}
echo "python tests: source tree (no .venv; 'make test' creates it), $py"
exec "$py" "${args[@]}"
