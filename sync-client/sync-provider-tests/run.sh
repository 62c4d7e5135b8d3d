#!/usr/bin/env bash
# Runs LiveStore's own sync-provider test suite (tests/sync-provider of livestorejs/livestore at v0.4.0),
# with only its provider registration replaced by ours (providers/registry.ts), against an external
# WebSocket sync server, e.g. the library's SyncTestServer (see ../README.md, "LiveStore's sync-provider tests").
#
#   run.sh <livestore git dir or checkout> <ws url> [vitest args...]
#   run.sh /work/.mirror/livestorejs+livestore/repo ws://127.0.0.1:18931/livestore/open
#
# The suite's two files (src/sync-provider.test.ts, src/types.ts) are copied from the given source at the
# pinned commit into a fresh temporary directory, checked against their known hashes, and never written
# into this repository: they are not ours to commit. Our files: package.json + package-lock.json (npm ci
# here when node_modules is missing or older than the lockfile), vitest.config.ts, providers/registry.ts.
set -euo pipefail
if (( $# < 2 )); then
  sed -n '2,8p' "$0" >&2
  exit 2
fi
source="$1"; url="$2"; shift 2
here="$(cd "$(dirname "$0")" && pwd)"
commit=c80acb39066b9472da426a35c81969df4919ae2d   # tag v0.4.0
suite=tests/sync-provider/src

work="$(mktemp -d "${TMPDIR:-/tmp}/livestore-sync-provider-tests.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/providers"
for f in sync-provider.test.ts types.ts; do
  if [[ -f "$source/$suite/$f" ]]; then                      # a checkout (of that tag, the hashes check it)
    cp "$source/$suite/$f" "$work/src/$f"
  elif git --git-dir "$source" cat-file -e "$commit:$suite/$f" 2>/dev/null; then   # a (bare) git dir
    git --git-dir "$source" show "$commit:$suite/$f" > "$work/src/$f"
  elif git -C "$source" cat-file -e "$commit:$suite/$f" 2>/dev/null; then         # a checkout's work tree
    git -C "$source" show "$commit:$suite/$f" > "$work/src/$f"
  else
    echo "run.sh: $source has neither $suite/$f nor commit $commit (livestorejs/livestore v0.4.0)" >&2
    exit 2
  fi
done
(cd "$work" && sha256sum --quiet -c) <<'SUMS' || { echo "run.sh: the suite's files are not those of v0.4.0" >&2; exit 2; }
016a16802c078c35f5432ebdc259c42d28f0f54da40ba93f2607da372437203f  src/sync-provider.test.ts
41f50cee7e5c55250783a330e94299e787aff12230ab8919e59c23b0a749c6c6  src/types.ts
SUMS

marker="$here/node_modules/.package-lock.json"
if [[ ! -f "$marker" || ! "$marker" -nt "$here/package-lock.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
cp "$here/package.json" "$here/vitest.config.ts" "$work/"
cp "$here/providers/registry.ts" "$work/src/providers/"
ln -s "$here/node_modules" "$work/node_modules"

cd "$work"
# vitest's workers need WebSocket from the environment (Node 20/21: behind the flag); CI=true gives
# LiveStore's withTestCtx 60 s per test instead of 10 s.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-websocket" CI=true LIVESTORE_SYNC_URL="$url"
"$here/node_modules/.bin/vitest" run --reporter=verbose "$@"
