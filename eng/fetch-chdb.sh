#!/usr/bin/env bash
# Fetches libchdb.so (the ClickHouse engine as a shared library) from the npm package
# @chdb/lib-linux-x64-gnu at the pinned version, verifies the tarball against the pinned
# sha512, and caches it outside the repository:
#
#   ${CHASI_CACHE:-$HOME/.cache/chasisre}/chdb/<version>/libchdb.so
#
# The absolute path of libchdb.so is the only thing printed on stdout; progress goes to
# stderr. Idempotent: a cached, verified copy is reused without touching the network.
#
# The version has one source of truth: ChDbLibrary.PinnedVersion in
# platform/ChasiSre.Platform.ClickHouse/ChDbLibrary.cs (the loader looks in the same
# cache directory). The sha512 below belongs to that version; when the version changes,
# update CHDB_INTEGRITY from `npm view @chdb/lib-linux-x64-gnu@<version> dist.integrity`.
#
# Usage: eng/fetch-chdb.sh [--verify] [--print-version]
#   --verify         re-hash the cached libchdb.so against the hash recorded at extraction
#   --print-version  print the pinned version and exit (no fetch)
set -euo pipefail

readonly CHDB_PACKAGE="@chdb/lib-linux-x64-gnu"
readonly CHDB_INTEGRITY="sha512-fPrLmRt5Moor9yGz4mazbrNje4t7X9KB2mTGkXFWRxRBs2iKy8yh6jx11xsa0Qr3iDFMU/yHqd+bVdYJXu3QaQ=="

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FETCH_NAME=fetch-chdb
# shellcheck source=lib/fetch-common.sh
source "$script_dir/lib/fetch-common.sh"
parse_fetch_args "$0" 19 "$@"
version="$(pinned_version "$script_dir/../platform/ChasiSre.Platform.ClickHouse/ChDbLibrary.cs" PinnedVersion)"

if [[ "$print_version" == 1 ]]; then
  printf '%s\n' "$version"
  exit 0
fi

require_linux_x64 "$CHDB_PACKAGE"
lock_cache_dir "chdb/$version"
lib="$dest/libchdb.so"
marker="$dest/libchdb.so.verified"

# The marker records the tarball integrity the library came from, the library's own
# sha512 and its size. A cached copy is valid when the marker names the pinned integrity
# and the size matches (or, with --verify, the sha512 matches too).
cached_is_valid() {
  [[ -f "$lib" && -f "$marker" ]] || return 1
  local integrity sha size
  integrity="$(sed -n 's/^integrity=//p' "$marker")"
  sha="$(sed -n 's/^sha512=//p' "$marker")"
  size="$(sed -n 's/^size=//p' "$marker")"
  [[ "$integrity" == "$CHDB_INTEGRITY" ]] || return 1
  [[ "$(stat -c %s "$lib")" == "$size" ]] || return 1
  if [[ "$verify" == 1 ]]; then
    say "verifying sha512 of $lib"
    [[ "$(sha512sum "$lib" | cut -d' ' -f1)" == "$sha" ]] || return 1
  fi
  return 0
}

if cached_is_valid; then
  say "using cached chDB $version"
  printf '%s\n' "$lib"
  exit 0
fi

work="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

say "fetching $CHDB_PACKAGE@$version with npm pack (about 170 MB)"
tarball="$(npm_pack_verified "$CHDB_PACKAGE" "$version" "$CHDB_INTEGRITY" "$work")"
say "tarball integrity verified"

tar -xzf "$tarball" -C "$work" package/libchdb.so \
  || fail "libchdb.so not found in $(basename "$tarball")"
chmod 0755 "$work/package/libchdb.so"
sha="$(sha512sum "$work/package/libchdb.so" | cut -d' ' -f1)"
size="$(stat -c %s "$work/package/libchdb.so")"

# Publish atomically: the library first, then the marker that vouches for it.
rm -f "$marker"
mv -f "$work/package/libchdb.so" "$lib"
printf 'package=%s@%s\nintegrity=%s\nsha512=%s\nsize=%s\n' \
  "$CHDB_PACKAGE" "$version" "$CHDB_INTEGRITY" "$sha" "$size" >"$marker.tmp"
mv -f "$marker.tmp" "$marker"

say "installed chDB $version"
printf '%s\n' "$lib"
