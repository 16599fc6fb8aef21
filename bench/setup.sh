#!/usr/bin/env bash
# Installs the benchmark's peers, pinned, into bench-local places (gitignored):
#   bench/peers/node_modules: webgpu (dawn.node), deno, bun, bun-webgpu   (versions in bench/peers/package.json)
#   bench/.venv:              wgpu-py (PyPI wgpu, the same wgpu-native as wgpu-ts)
# and builds wgpu-ts with its replay helper. Idempotent: `npm run bench` runs it first.
set -euo pipefail
cd "$(dirname "$0")"

WGPU_PY_VERSION=0.32.0

if [ ! -x peers/node_modules/.bin/deno ] || [ peers/package.json -nt peers/node_modules/.stamp ]; then
  echo "bench: installing the JavaScript peers (bench/peers/package.json)"
  # The peers' install scripts fetch nothing: they pick the platform binary from their own optional packages.
  # The lock lists every platform's optional packages, as npm install writes it (with deno's missing,
  # each install rewrote the tracked lock). Not npm ci: bun-webgpu names optional packages that the
  # registry does not have, which npm ci takes for a lock out of sync.
  (cd peers && npm install --no-audit --no-fund --foreground-scripts >/dev/null)
  touch peers/node_modules/.stamp
fi

if ! .venv/bin/python -c "import wgpu, sys; sys.exit(wgpu.__version__ != '$WGPU_PY_VERSION')" 2>/dev/null; then
  echo "bench: installing wgpu-py $WGPU_PY_VERSION into bench/.venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "wgpu==$WGPU_PY_VERSION"
fi

cd ..
[ -f vendor/engines/wgpu-native/lib/libwgpu_native.so ] || node scripts/install-engines.mjs
npm run --silent build
npm run --silent build:native || echo "bench: the replay helper did not build; wgpu-ts runs on its direct-call path"
