#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang in build-fuzz/ and runs
# each for SECONDS (default 60) on a copy of its seed corpus; new inputs that
# found new coverage are left in build-fuzz/corpus/NAME, crashes in
# build-fuzz/crashes/. Exit status 1 when any target found a crash.
#
# usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(settings values format_message worker_frame)
command -v clang++ >/dev/null || { echo "clang++ is not installed (apt-get install clang)" >&2; exit 2; }

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCHECKER_FUZZ=ON \
  -DCHECKER_WORKER_ADDRESS_SPACE_MIB=0 >/dev/null
cmake --build build-fuzz -j2 --target "${targets[@]/#/fuzz_}"
mkdir -p build-fuzz/crashes
failed=0
for name in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$name
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
  dict=()
  [ -f tests/fuzz/"$name".dict ] && dict=(-dict=tests/fuzz/"$name".dict)
  echo "== fuzz_$name for ${seconds}s"
  if ! build-fuzz/bin/fuzz_"$name" "${dict[@]}" -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 \
      -artifact_prefix=build-fuzz/crashes/"$name"- "$corpus" >build-fuzz/"$name".log 2>&1; then
    failed=1
  fi
  tail -2 build-fuzz/"$name".log
done
exit $failed
