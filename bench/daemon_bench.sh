#!/usr/bin/env bash
# Measures the daemon of an installed checker with wrk (Debian's package):
# requests per second and latency for GET / and GET /ping/NAME, on 127.0.0.1.
#
# usage: bench/daemon_bench.sh PREFIX [SECONDS] [CONNECTIONS...]
set -euo pipefail
prefix=$(realpath "$1")
seconds=${2:-5}
shift $(($# < 2 ? $# : 2))
connections=("$@")
[ ${#connections[@]} -gt 0 ] || connections=(8 100 1000)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

dir=$(mktemp -d /tmp/checker-bench-XXXXXX)
daemon=""
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/settings.cfg" <<CFG
[general]
servername = bench
alertcontact = ops@example.com
statefile = $dir/state.db
logfile = $dir/checker.log
[email]
nomail = true
[daemon]
listen = 127.0.0.1:$port
[heartbeat:backups]
period = 1h
CFG
chmod 600 "$dir/settings.cfg"
"$prefix/bin/checker" -f "$dir/settings.cfg" -m cron -c minute >/dev/null
"$prefix/bin/checker" -f "$dir/settings.cfg" -m daemon &
daemon=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done

ulimit -n 65536 2>/dev/null || true
printf '| path | connections | requests/s | median latency | p99 latency | errors |\n|---|---|---|---|---|---|\n'
for path in / /ping/backups; do
  for c in "${connections[@]}"; do
    out=$(wrk -t2 -c"$c" -d"${seconds}s" --timeout 2s --latency "http://127.0.0.1:$port$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Socket errors/ {print $0}' <<<"$out" | sed 's/ *Socket errors: //')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$path" "$c" "$rps" "$p50" "$p99" "${errors:-none}"
  done
done
