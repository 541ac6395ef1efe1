#!/usr/bin/env bash
# Prints deploy/krew/chasi.yaml for a release archive: VERSION and the archive's SHA256 filled in.
# Usage: eng/krew-manifest.sh chasi-linux-amd64.tar.gz 0.1.0
set -euo pipefail
archive="${1:?archive}"
version="${2:?version}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sha="$(sha256sum "$archive" | cut -d' ' -f1)"
sed -e "s/\${VERSION}/$version/g" -e "s/\${SHA256}/$sha/g" "$root/deploy/krew/chasi.yaml"
