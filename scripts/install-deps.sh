#!/usr/bin/env bash
# Installs checker's dependencies from Debian's packages, as root (or through
# sudo when there is one). Safe to run again: it installs only what is missing.
#
#   install-deps.sh [build] [test] [package] [bench]   (default: build test)
#
#   build    what compiles checker, and python3 for the demo's target
#            (scripts/demo.sh needs only this list)
#   test     what the tests add: the servers they drive, Python's modules,
#            and chromium (the status page is checked in a real browser)
#   package  what builds and checks the Debian packages (scripts/build-deb.sh)
#   bench    what bench/run drives and profiles with: wrk, nginx, Twisted (for
#            the original Python checker's daemon), perf, valgrind
set -euo pipefail

build=(
  build-essential cmake pkg-config
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  libinih-dev libcurl4-openssl-dev libsqlite3-dev libcpp-httplib-dev
  python3
)
test=(catch2 python3-aiosmtpd openssl dovecot-imapd sqlite3 monitoring-plugins-basic faketime curl wget
  prometheus prometheus-node-exporter prometheus-alertmanager chromium pngquant)
package=(debhelper dpkg-dev fakeroot lintian man-db)
bench=(wrk nginx-light python3-twisted python3-requests linux-perf valgrind)

[ $# -gt 0 ] || set -- build test
packages=()
for list in "$@"; do
  case "$list" in
    build) packages+=("${build[@]}") ;;
    test) packages+=("${test[@]}") ;;
    package) packages+=("${package[@]}") ;;
    bench) packages+=("${bench[@]}") ;;
    *) echo "install-deps.sh: unknown list '$list' (build, test, package or bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# Other builds on this machine may hold dpkg's lock for a while: wait for it (bounded).
apt=($sudo apt-get -o DPkg::Lock::Timeout=600)
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
