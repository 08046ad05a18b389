# Thin wrapper around CMake (the build itself lives in CMakeLists.txt).
#
#   make            configure (once) + build in build/
#   make test       install missing OS packages, build, install .venv, run every suite (ctest)
#   make demo       install missing OS packages, build, run `ffctl demo`, then
#                   the Python demo (python -m flowfabric demo) from .venv
#   make python     create .venv if missing, (re)install ./python into it, offline
#   make asan       build in build-asan/ with ASan+UBSan, run the C suites there
#   make install    build, then install into PREFIX (default /usr/local; DESTDIR honoured):
#                   PREFIX/bin/ffctl, PREFIX/lib/libflowfabric.{so,a}, headers, flowfabric.pc
#   make generate   regenerate the committed generated files (status.h, ff_cdef.h, src/proto, ...)
#   make clean      remove build/ and build-asan/
#
# Knobs: BUILD_TYPE (RelWithDebInfo), CMAKE_FLAGS (extra -D...), JOBS (nproc), PREFIX,
#        CTEST_FLAGS (extra ctest arguments, e.g. CTEST_FLAGS="-R unit").

CMAKE       ?= cmake
CTEST       ?= ctest
BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
BUILD_TYPE  ?= RelWithDebInfo
CMAKE_FLAGS ?=
CTEST_FLAGS ?=
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX      ?= /usr/local
PYTHON      ?= $(firstword $(wildcard /usr/bin/python3) python3)

# Sanitizer runtime options for `make asan`: any report fails the test.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           $(if $(wildcard tests/lsan.supp),LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp)
ASAN_EXCLUDE = python|lua|ffi

.PHONY: all build demo test asan asan-build generate clean bootstrap help python install

all: build

help:
	@sed -n '3,15p' Makefile | sed 's/^# \{0,1\}//'

bootstrap:
	@scripts/bootstrap

$(BUILD_DIR)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: $(BUILD_DIR)/CMakeCache.txt
	$(CMAKE) --build $(BUILD_DIR) -j $(JOBS)

# The Python package, installed exactly as python/README.md documents (offline:
# Debian's cffi/pytest/setuptools through --system-site-packages, no PyPI). Run
# after `build` so the package bundles the freshly built libflowfabric. The
# stamp tells python/tests/run.sh (the `python` ctest) the install is current.
python:
	@test -x .venv/bin/pip || $(PYTHON) -m venv --system-site-packages .venv
	FF_BUILD_DIR=$(abspath $(BUILD_DIR)) .venv/bin/pip install --no-index --no-build-isolation ./python
	@touch .venv/.flowfabric-installed

# bootstrap must finish before CMake looks for the libraries, so the steps run
# in sequence inside one recipe (safe under make -j).
demo:
	@scripts/bootstrap
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory python
	$(BUILD_DIR)/ffctl demo
	.venv/bin/python -m flowfabric demo
	ruby -Ibindings/ruby/lib bindings/ruby/examples/polyglot.rb
	LUA_PATH="bindings/luajit/?.lua;bindings/luajit/?/init.lua;;" luajit bindings/luajit/examples/polyglot.lua

# Nothing may print after ctest: its summary line ends the output.
test:
	@scripts/bootstrap
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory python
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

$(ASAN_DIR)/CMakeCache.txt:
	$(CMAKE) -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DFF_SANITIZE=ON $(CMAKE_FLAGS)

asan-build: $(ASAN_DIR)/CMakeCache.txt
	$(CMAKE) --build $(ASAN_DIR) -j $(JOBS)

asan:
	@scripts/bootstrap
	@$(MAKE) --no-print-directory asan-build
	$(ASAN_ENV) $(CTEST) --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -LE '$(ASAN_EXCLUDE)' $(CTEST_FLAGS)

install: build
	$(CMAKE) --install $(BUILD_DIR) --prefix $(PREFIX)

generate:
	$(PYTHON) bindings/gen/gen_status_h.py src/core/status.def include/flowfabric/status.h
	$(PYTHON) bindings/gen/gen_errors_md.py src/core/status.def docs/errors.md
	$(PYTHON) -B bindings/gen/gen_python_errors.py src/core/status.def bindings/gen/error_names.txt python/flowfabric/_error_classes.py
	$(PYTHON) -B bindings/gen/gen_functions.py lua src/core/status.def src/proto lua/README.md lua/README.md include/flowfabric/items.h
	$(PYTHON) -B bindings/gen/gen_keys.py bindings/gen/keys.def lua/lib/20_keys.lua lua/lib/20_keys.lua src/proto
	bindings/gen/gen_cdef.sh bindings/ff_cdef.h
	$(PYTHON) -B bindings/gen/gen_api.py bindings/api.json
	$(PYTHON) -B bindings/gen/gen_ruby.py bindings/api.json src/core/status.def bindings/gen/error_names.txt bindings/ruby/lib/flowfabric
	$(PYTHON) -B bindings/gen/gen_luajit.py bindings/api.json src/core/status.def bindings/gen/error_names.txt bindings/luajit/flowfabric
	$(PYTHON) -B bindings/gen/gen_python_ops.py bindings/api.json python/flowfabric/_opdefs.py python/flowfabric

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) python/build python/flowfabric.egg-info
