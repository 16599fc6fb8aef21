#!/usr/bin/env bash
# Builds wgpu-ts's command-replay helper (src/native/replay/replay.c) into build/native/.
# Optional: without it wgpu-ts calls the engine once per command (the direct path).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/native
${CC:-gcc} -O2 -fPIC -shared -Wall -Wextra -o build/native/libwgpu_ts_replay.so src/native/replay/replay.c -ldl
echo "wgpu-ts: built build/native/libwgpu_ts_replay.so"
