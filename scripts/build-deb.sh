#!/usr/bin/env bash
# Builds the Debian packages checker_VERSION_ARCH.deb and
# checker-dev_VERSION_all.deb with dpkg-buildpackage (debhelper, cmake), from
# the project's version in CMakeLists.txt, and checks both with lintian.
#
#   bash scripts/build-deb.sh [OUTDIR]      (default: build/deb)
#
# The source is copied to OUTDIR/checker-VERSION (debian/changelog is written
# there, never into the tree); its cmake build directory is kept between runs,
# so a second build compiles only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
out=$(mkdir -p "${1:-build/deb}" && cd "${1:-build/deb}" && pwd)

echo "build-deb: installing the packaging tools and build dependencies..."
bash scripts/install-deps.sh build package

version=$(sed -n 's/^project(checker VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "build-deb: no project(checker VERSION ...) in CMakeLists.txt" >&2; exit 2; }

# A fresh copy of the source, except the cmake build directory of the last run.
stage=$out/checker-$version
mkdir -p "$stage"
find "$stage" -mindepth 1 -maxdepth 1 ! -name 'obj-*' -exec rm -rf {} +
tar -C "$source_dir" -cf - --exclude=./build --exclude='./build-*' --exclude=./.git --exclude='./obj-*' . |
  tar -C "$stage" -xf -

# Debian's changelog carries the version; write it from CMakeLists.txt. Its
# date is the last commit's, so that rebuilding a commit gives the same files.
when=$(git -C "$source_dir" log -1 --format=%ct 2>/dev/null || date +%s)
cat > "$stage/debian/changelog" <<EOF
checker ($version) unstable; urgency=medium

  * Release $version, built from the checker source tree.

 -- checker developers <checker@example.org>  $(LC_ALL=C date -u -R -d "@$when")
EOF

rm -f "$out"/checker_*.deb "$out"/checker-dev_*.deb "$out"/checker_*.changes "$out"/checker_*.buildinfo
echo "build-deb: building checker $version (this takes a few minutes)..."
# -nc: keep the cmake build directory of the last run (incremental build).
(cd "$stage" && DEB_BUILD_OPTIONS="parallel=${CHECKER_BUILD_JOBS:-2} ${DEB_BUILD_OPTIONS:-}" \
  dpkg-buildpackage -b -nc -us -uc)

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
debs=("$out/checker_${version}_${arch}.deb" "$out/checker-dev_${version}_all.deb")
echo "build-deb: lintian..."
# lintian exits non-zero on errors only (warnings are listed in docs/packaging.md).
lintian --fail-on error "${debs[@]}"
printf 'build-deb: built %s\n' "${debs[@]}"
