#!/usr/bin/env bash
# Builds checker with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-sanitized/ and runs the unit tests and the end-to-end suite against
# that build. Workers run without an address-space limit there (ASan's shadow
# memory needs terabytes of address space). Takes several minutes; CI does
# not run it. Extra arguments go to ctest (e.g. -R unit).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build-sanitized -DCMAKE_BUILD_TYPE=Debug -DCHECKER_SANITIZE=ON
cmake --build build-sanitized -j2
# Plugins are loaded with dlopen: leak reports would list what they keep
# loaded until exit. A sanitizer error fails the process (exit 86), and so
# the test. Signals stay the kernel's: the tests expect a crashing job to be
# "killed by SIGSEGV". Some tests preload libfaketime, ahead of ASan's runtime.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=86:handle_segv=0:handle_sigbus=0:handle_abort=0:verify_asan_link_order=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
export CHECKER_SANITIZED=1
ctest --test-dir build-sanitized --output-on-failure -j2 "$@"
