#!/usr/bin/env bash
# One command from a fresh clone to the running app: install, build the data, build, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run build:wasm
npm run data
npx vite build
echo
echo "Sentiment Lab: open http://localhost:${PORT:-4173}/ (Ctrl+C stops the server)"
exec npx vite preview --strictPort --port "${PORT:-4173}"
