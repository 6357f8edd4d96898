#!/usr/bin/env bash
# Builds and tests the JavaScript package on a fresh machine: installs what is missing (the
# wasm32 target, wasm-bindgen-cli at the exact version of the wasm-bindgen crate in
# Cargo.lock, Debian's Chromium, the npm dev dependencies), builds the native `cccd` command
# (the tests compare with it and generate photos and chips with it), builds the three WebAssembly
# modules (parser, scanner, chip),
# then runs the Node tests, the TypeScript check and the Chromium end-to-end test.
#   bash bindings/js/test.sh           (from anywhere)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS" >&2; }

step "toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$want" ]; then
  echo "no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ "$have" != "$want" ]; then
  # Not --locked: the CLI's own lock file pins crates that the registry mirror may lack.
  cargo install wasm-bindgen-cli --version "$want"
fi
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -q
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q chromium
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js >= 20 is needed (found $(node --version))" >&2
  exit 1
fi

step "native cccd command"
cargo build --release --locked -p cccd-cli
export CCCD_BIN="$repo/target/release/cccd"

step "npm ci"
cd "$here"
npm ci --no-audit --no-fund

step "npm run build"
npm run build

step "npm test"
npm test

step "done"
