#!/usr/bin/env bash
# Builds wgpu-ts's optional native helpers into build/native/:
# - the command-replay helper (src/native/replay/replay.c); without it wgpu-ts calls the engine
#   once per command (the direct path);
# - the detach-key addon (src/native/addon/detach-key.cc), once per Node ABI found (the node
#   running this and /usr/bin/node, Node 24 and later), against that Node's own headers; without
#   it mapped ranges are JS-owned copies.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/native
${CC:-gcc} -O2 -fPIC -shared -Wall -Wextra -o build/native/libwgpu_ts_replay.so src/native/replay/replay.c -ldl
echo "wgpu-ts: built build/native/libwgpu_ts_replay.so"

for nodebin in "$(command -v node)" /usr/bin/node; do
  [ -x "$nodebin" ] || continue
  # Its headers: next to the binary, or in the `node` devDependency's platform package; the one whose
  # version is this node's.
  read -r abi include major < <("$nodebin" -e '
    const fs = require("fs"), p = require("path");
    const candidates = [p.resolve(p.dirname(process.execPath), "../include/node"), p.resolve(p.dirname(fs.realpathSync(process.execPath)), "../include/node"),
      ...["x64", "arm64"].map((a) => p.resolve("node_modules/node/node_modules/node-linux-" + a + "/include/node"))];
    const major = (dir) => { try { return /NODE_MAJOR_VERSION (\d+)/.exec(fs.readFileSync(p.join(dir, "node_version.h"), "utf8"))[1]; } catch { return null; } };
    const found = candidates.find((dir) => major(dir) === process.versions.node.split(".")[0]) ?? candidates[0];
    console.log(process.versions.modules, found, process.versions.node.split(".")[0])')
  [ "$major" -ge 24 ] || continue # older Nodes abort on a keyed buffer in structuredClone: copies there (detach-key.ts)
  out="build/native/detach-key-abi$abi.node"
  [ -f "$out" ] && [ "$out" -nt src/native/addon/detach-key.cc ] && continue
  if [ ! -f "$include/node.h" ]; then
    echo "wgpu-ts: no Node headers at $include: the detach-key addon for ABI $abi is not built (mapped ranges are copies there)"
    continue
  fi
  if ${CXX:-g++} -O2 -fPIC -shared -std=c++20 -Wall -Wno-unused-parameter -I"$include" -o "$out" src/native/addon/detach-key.cc; then
    echo "wgpu-ts: built $out"
  else
    echo "wgpu-ts: the detach-key addon did not build (is g++ installed?): mapped ranges are copies"
  fi
done
