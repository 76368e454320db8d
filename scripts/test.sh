#!/usr/bin/env bash
# Builds checker and runs every test: Catch2 unit tests and the end-to-end
# tests, which install the build into build/test-prefix and drive it against
# real servers on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh build test package
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j2 "$@"
