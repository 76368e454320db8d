#!/usr/bin/env bash
# Installs every build and test dependency of checker from Debian's packages.
# Used by README's commands and .ci/run; safe to run again (apt-get is idempotent).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  libinih-dev libcurl4-openssl-dev libsqlite3-dev sqlite3
  catch2 libcpp-httplib-dev
  python3 python3-aiosmtpd openssl dovecot-imapd
  monitoring-plugins-basic
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
