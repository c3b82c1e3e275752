#!/usr/bin/env bash
# Installs the npm dependencies from the lock file; skipped when node_modules already matches it.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.sentiment-lab-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "npm dependencies are up to date."
else
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
