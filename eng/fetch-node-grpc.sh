#!/usr/bin/env bash
# Installs the Node.js gRPC client libraries the adapter contract test uses
# (sdk/samples/node-client: @grpc/grpc-js and @grpc/proto-loader, pinned) into a cache outside
# the repository and prints the absolute path of their node_modules directory on stdout:
#
#   ${CHASI_CACHE:-$HOME/.cache/chasisre}/node-grpc/<lockfile sha256>/node_modules
#
# `npm pack` alone would fetch the two tarballs without their dependencies (protobufjs, long,
# yargs ...), so the whole tree is pinned in sdk/samples/node-client/package-lock.json and
# installed with `npm ci`, which checks every tarball against the sha512 recorded there. The
# two top-level integrities are also pinned below, so a lockfile changed without updating this
# script is refused. Quiet on success (only the path); errors go to stderr with exit 1.
# Idempotent: a verified install for the same lockfile is reused without touching the network.
#
# To upgrade: edit the versions in package.json, run `npm install --package-lock-only` there,
# and copy the new integrities from `npm view <package>@<version> dist.integrity` below.
set -euo pipefail

readonly GRPC_JS="@grpc/grpc-js@1.14.7"
readonly GRPC_JS_INTEGRITY="sha512-W4W/fcBMGRVtG6dW2c7cw2mnpS3hvbBd+oQXjh2iYFTZDk1JJmcNqkM5KSaPubQpamlUUurrlb7G1s9NJeERmQ=="
readonly PROTO_LOADER="@grpc/proto-loader@0.8.1"
readonly PROTO_LOADER_INTEGRITY="sha512-wtF6h+DY6M3YaDBPAmvuuA6jV8Sif9MjtOI5euKFWRgCDl5PeDpPsHR9u2l6St5ceY8AZgoNDww5+HvEsXFsGg=="

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FETCH_NAME=fetch-node-grpc
# shellcheck source=lib/fetch-common.sh
source "$script_dir/lib/fetch-common.sh"
client_dir="$script_dir/../sdk/samples/node-client"
lock="$client_dir/package-lock.json"
[[ -f "$lock" && -f "$client_dir/package.json" ]] || fail "cannot find $client_dir/package.json and package-lock.json"

# The lockfile must carry exactly the pinned versions and integrities of the two packages.
check_pin() {
  local spec="$1" integrity="$2" name version
  name="${spec%@*}"
  version="${spec##*@}"
  node -e '
    const lock = require(process.argv[1]);
    const entry = lock.packages["node_modules/" + process.argv[2]];
    if (!entry || entry.version !== process.argv[3] || entry.integrity !== process.argv[4]) process.exit(1);
  ' "$lock" "$name" "$version" "$integrity" \
    || fail "package-lock.json does not pin $spec with integrity $integrity (update both together)"
}

command -v node >/dev/null || fail "node is required (install Node.js 18 or newer)"
command -v npm >/dev/null || fail "npm is required (install Node.js/npm)"
check_pin "$GRPC_JS" "$GRPC_JS_INTEGRITY"
check_pin "$PROTO_LOADER" "$PROTO_LOADER_INTEGRITY"

lock_sha="$(sha256sum "$lock" | cut -d' ' -f1)"
lock_cache_dir "node-grpc/$lock_sha"
marker="$dest/.verified"

if [[ -f "$marker" && -d "$dest/node_modules/@grpc/grpc-js" && -d "$dest/node_modules/@grpc/proto-loader" ]]; then
  printf '%s\n' "$dest/node_modules"
  exit 0
fi

work="$(mktemp -d "$dest/.install.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$client_dir/package.json" "$lock" "$work/"
log="$work/npm.log"
if ! ( cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error ) >"$log" 2>&1; then
  cat "$log" >&2
  fail "npm ci failed (is the npm registry reachable? an integrity mismatch is reported above as EINTEGRITY)"
fi

for spec in "$GRPC_JS" "$PROTO_LOADER"; do
  name="${spec%@*}"
  installed="$(node -p 'require(process.argv[1]).version' "$work/node_modules/$name/package.json")"
  [[ "$installed" == "${spec##*@}" ]] || fail "npm installed $name@$installed instead of $spec"
done

# Publish atomically: the tree first, then the marker that vouches for it.
rm -rf "$dest/node_modules" "$marker"
mv "$work/node_modules" "$dest/node_modules"
printf 'lock_sha256=%s\n%s %s\n%s %s\n' "$lock_sha" "$GRPC_JS" "$GRPC_JS_INTEGRITY" "$PROTO_LOADER" "$PROTO_LOADER_INTEGRITY" >"$marker"
printf '%s\n' "$dest/node_modules"
