#!/usr/bin/env bash
# Sets up wgpu-ts on a fresh Debian 12 machine, then runs the example compute job on each engine:
# lavapipe (Mesa 25, bookworm-backports), the display stack and Chromium, npm packages, the pinned engines (wgpu-native and Dawn), the build.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }
if ! dpkg --compare-versions "$(mesa_version)" ge 25 2>/dev/null || ! dpkg-query -W libvulkan1 >/dev/null 2>&1; then
  echo "wgpu-ts: installing Mesa's lavapipe (Vulkan on the CPU) from bookworm-backports"
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
fi

# The window tests' display stack (Xvfb, xwd, xdotool, GLFW 3) and the browser tests' Chromium.
apt_packages=(xvfb x11-apps xdotool libglfw3 chromium)
missing=()
for p in "${apt_packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "wgpu-ts: installing ${missing[*]} (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
node scripts/install-engines.mjs
# npm ci has built dist/ (the prepare script)
npm run build:native
npx tsx examples/compute-matmul.ts
WGPU_ENGINE=dawn npx tsx examples/compute-matmul.ts 128
