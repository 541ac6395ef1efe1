#!/usr/bin/env bash
# Provides what the web view's browser test drives: headless Chromium from Debian's packages
# (`apt-get install chromium`, as root) and playwright-core from npm at the pinned version,
# its tarball verified against the pinned sha512 and unpacked outside the repository:
#
#   ${CHASI_CACHE:-$HOME/.cache/chasisre}/playwright-core/<version>/package/index.mjs
#
# Prints two lines on stdout, the Chromium executable and the playwright-core directory;
# progress goes to stderr. Idempotent: an installed Chromium and a cached, verified
# playwright-core are reused without touching the network. playwright-core has no
# dependencies and downloads no browser of its own (it drives the Debian one).
#
# Exit codes: 0 ready; 1 failed; 3 Chromium is missing and apt cannot install it (not root,
# no apt-get, or the Debian mirror unreachable): the test reports this as a skip with the reason.
#
# Usage: eng/fetch-browser.sh [--verify] [--print-version]
#   --verify         re-extract check: the cached tarball's sha512 against the pin
#   --print-version  print the pinned playwright-core version and exit (no fetch)
set -euo pipefail

readonly PLAYWRIGHT_PACKAGE="playwright-core"
readonly PLAYWRIGHT_VERSION="1.65.1"
readonly PLAYWRIGHT_INTEGRITY="sha512-hqPpz7blSMPxWVdoeE1yiBSzXsKiVOd2k+kjCvmUywD2GPO2Dd9HfcWnq9NN0GHbNZDFgZ9JfBFr+X5/BLo0qw=="

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FETCH_NAME=fetch-browser
# shellcheck source=lib/fetch-common.sh
source "$script_dir/lib/fetch-common.sh"
parse_fetch_args "$0" 20 "$@"

if [[ "$print_version" == 1 ]]; then
  printf '%s\n' "$PLAYWRIGHT_VERSION"
  exit 0
fi

unavailable() { printf '%s: unavailable: %s\n' "$FETCH_NAME" "$*" >&2; exit 3; }

find_chromium() {
  local candidate
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if ! chromium="$(find_chromium)"; then
  command -v apt-get >/dev/null 2>&1 || unavailable "Chromium is not installed and there is no apt-get to install it"
  [[ "$(id -u)" == 0 ]] || unavailable "Chromium is not installed and installing it needs root (sudo apt-get install -y chromium)"
  # One apt run at a time on this machine, also across concurrent test runs.
  exec 8>/tmp/chasisre-apt.lock
  flock 8
  if ! chromium="$(find_chromium)"; then
    say "installing chromium with apt-get (Debian's package)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || unavailable "apt-get update failed: the Debian mirror is not reachable"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2 \
        || unavailable "apt-get install chromium failed (is the Debian mirror reachable?)"
    fi
    chromium="$(find_chromium)" || fail "apt-get installed chromium but no chromium executable is on PATH"
  fi
  flock -u 8
fi
say "chromium: $chromium ($("$chromium" --version 2>/dev/null | head -n 1))"

lock_cache_dir "playwright-core/$PLAYWRIGHT_VERSION"
package_dir="$dest/package"
marker="$dest/.verified"

if [[ -f "$marker" && "$(cat "$marker")" == "$PLAYWRIGHT_INTEGRITY" && -f "$package_dir/index.mjs" && "$verify" == 0 ]]; then
  say "using cached $PLAYWRIGHT_PACKAGE $PLAYWRIGHT_VERSION"
else
  work="$(mktemp -d "$dest/.fetch.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  say "fetching $PLAYWRIGHT_PACKAGE@$PLAYWRIGHT_VERSION with npm pack"
  tarball="$(npm_pack_verified "$PLAYWRIGHT_PACKAGE" "$PLAYWRIGHT_VERSION" "$PLAYWRIGHT_INTEGRITY" "$work")"
  say "tarball integrity verified"
  tar -xzf "$tarball" -C "$work"
  [[ -f "$work/package/index.mjs" ]] || fail "$PLAYWRIGHT_PACKAGE tarball has no package/index.mjs"
  rm -f "$marker"
  rm -rf "$package_dir"
  mv "$work/package" "$package_dir"
  printf '%s' "$PLAYWRIGHT_INTEGRITY" >"$marker"
  say "installed $PLAYWRIGHT_PACKAGE $PLAYWRIGHT_VERSION"
fi

printf '%s\n%s\n' "$chromium" "$package_dir"
