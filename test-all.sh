#!/usr/bin/env bash
# Every test of every language, on a fresh machine: installs what it needs, builds once (one
# shared target directory), runs the Rust workspace's tests and each binding's test script.
# Needs ../shared beside the repository (public QR photos), as CI has it.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

echo "== cargo test --workspace --all-features"
cargo test --workspace --all-features

# The bindings' scripts need not run the workspace's Rust tests again.
export CCCD_WORKSPACE_TESTED=1

echo "== cargo xtask place-table --check"
cargo xtask place-table --check

for script in bindings/*/test.sh; do
  [ -e "$script" ] || continue
  echo "== $script"
  bash "$script"
done
