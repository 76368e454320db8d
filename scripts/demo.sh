#!/usr/bin/env bash
# Builds checker, installs it under build-demo/prefix and runs one cron tick on
# a demo config against local targets that this script starts: one TCP job
# that succeeds and one that fails, with the notification it would send.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "demo: installing build dependencies..."
bash scripts/install-deps.sh build
echo "demo: configuring..."
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHECKER_BUILD_TESTS=OFF >/dev/null
echo "demo: building (this takes a few minutes)..."
# cmake's own progress lines ([ 42%] Building ...), without the compiler's.
cmake --build build-demo -j2 | grep --line-buffered '^\[' || { echo "demo: the build failed" >&2; exit 1; }
echo "demo: installing into build-demo/prefix..."
cmake --install build-demo --prefix build-demo/prefix >/dev/null
echo
checker=build-demo/prefix/bin/checker

demo=$(mktemp -d /tmp/checker-demo.XXXXXX)
listener_pid=""
cleanup() {
  [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null
  rm -rf "$demo"
}
trap cleanup EXIT

# A local target that accepts connections, on a port the kernel picks.
python3 - "$demo/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(0.5)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try: s.accept()[0].close()
    except OSError: pass
PY
listener_pid=$!
for _ in $(seq 50); do [ -s "$demo/port" ] && break; sleep 0.1; done
port=$(cat "$demo/port")

cat > "$demo/settings.cfg" <<CFG
[general]
servername = demo
alertcontact = ops@example.com
statefile = $demo/state.db
logfile = $demo/checker.log

[email]
nomail = true

[tcp:web]
host = 127.0.0.1
port = $port

[tcp:database]
host = 127.0.0.1
port = 1
timeout = 5
CFG
chmod 600 "$demo/settings.cfg"

echo "\$ checker -f settings.cfg -m validate"
"$checker" -f "$demo/settings.cfg" -m validate
echo
echo "\$ checker -f settings.cfg -m cron -c minute"
status=0
"$checker" -f "$demo/settings.cfg" -m cron -c minute || status=$?
echo "(exit status $status: 1 means a job failed)"
echo
echo "\$ checker -f settings.cfg -m status"
"$checker" -f "$demo/settings.cfg" -m status
