#!/usr/bin/env bash
# Builds the Python package (cccd-vn) and runs its whole test suite on a fresh machine:
# a virtualenv under the cargo target directory, the Python packages from PyPI, the wheel built
# with maturin and installed, the `cccd` command the tests compare with, then pytest (the
# corpus, the command comparisons, scan, pyarrow and the Spark job in local[2]).
#
#   bindings/python/test.sh [PYTEST ARGS...]
#
# Needs: cargo, python3 (>= 3.9, with venv), Java 17+ for Spark; on Debian as root it installs
# openjdk-17-jre-headless and python3-venv when they are missing.
# Environment: CARGO_TARGET_DIR (default: the repository's target/, shared with the workspace
# build), PYTHON (default python3), CCCD_PY_VENV (default $CARGO_TARGET_DIR/py-venv).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
venv=${CCCD_PY_VENV:-$CARGO_TARGET_DIR/py-venv}
start=$SECONDS

# Debian packages, when missing and this runs as root with apt-get: Java for Spark, venv.
apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    else
        echo "test.sh: please install $* (Debian packages)" >&2
        exit 1
    fi
}
java -version >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv" || {
        rm -rf "$venv"
        apt_install python3-venv
        "${PYTHON:-python3}" -m venv "$venv"
    }
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
    'maturin>=1.7,<2' pytest pyarrow pyspark 'pandas<3' numpy pillow

# The command the tests compare with (the same release profile the workspace builds).
cargo build --release --manifest-path "$repo/Cargo.toml" -p cccd-cli
export CCCD_BIN=$CARGO_TARGET_DIR/release/cccd

# The wheel, as users install it.
wheels=$CARGO_TARGET_DIR/wheels/python
rm -rf "$wheels"
"$venv/bin/maturin" build --release --manifest-path "$here/Cargo.toml" \
    --interpreter "$venv/bin/python" --out "$wheels"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/cccd_vn-*.whl

# pytest exits 5 when it collected no test: that fails this script like any other non-zero.
cd "$here"
export PYSPARK_PYTHON=$venv/bin/python PYSPARK_DRIVER_PYTHON=$venv/bin/python
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
echo "bindings/python/test.sh: passed in $((SECONDS - start)) s"
