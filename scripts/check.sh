#!/usr/bin/env bash
# One command from a fresh clone to every check passing: installs Chromium (apt) and the npm
# dependencies, builds the data, then runs format, lint, typecheck, unit and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - started )) s)"; }
step "Chromium"; bash scripts/ensure-chromium.sh
step "npm dependencies"; bash scripts/install.sh
step "WebAssembly kernels"; npm run build:wasm
step "IMDB data"; npm run data
step "format"; npm run format:check
step "lint"; npm run lint
step "typecheck"; npm run typecheck
step "unit tests"; npm run test:unit
step "browser tests"; npm run test:e2e
echo; echo "All checks passed in $(( $(date +%s) - started )) s."
