#!/usr/bin/env bash
# The C binding's tests, from the repository root or anywhere:
#   bash bindings/c/test.sh
# Builds libcccd (release), checks that include/cccd.h is what cbindgen generates, compiles the
# examples, the README's C example and the typed test with the system C compiler (shared and
# static library), compares the examples' output with `cccd parse` / `cccd scan` line for line
# over the payload corpus and generated QR images, runs the typed test, and runs the example
# and the typed test under valgrind (no error, no leak). Installs valgrind with apt-get when it
# is missing. Takes 20-50 s once the release library is built (see the README).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
step() { echo "== [$((SECONDS - started)) s] $*"; }
compare() { # name, expected file, actual file
  # `cccd parse` numbers the lines of its standard input ("line"); the C API has no input
  # position, so that key is set aside.
  sed -E 's/^\{"line":[0-9]+,/{/' "$2" > "$2.noline"
  if ! cmp -s "$2.noline" "$3"; then
    echo "FAIL: $1: the output differs from the expected one:" >&2
    diff "$2.noline" "$3" | head -20 >&2
    exit 1
  fi
  echo "ok: $1 ($(wc -l < "$3") lines identical)"
}
CC=${CC:-cc}
CXX=${CXX:-c++}
TODAY=2026-01-01
target=${CARGO_TARGET_DIR:-target}
work=$target/c-test
rm -rf "$work"
mkdir -p "$work"

if ! command -v valgrind >/dev/null; then
  step "installing valgrind"
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi

step "cargo build --release -p cccd-ffi"
cargo build --release -p cccd-ffi
lib=$target/release

# The glue's unit tests and the header check are cccd-ffi's Rust tests; test-all.sh has just
# run them with the whole workspace (CCCD_WORKSPACE_TESTED=1), so only a run on its own
# needs them here.
if [ "${CCCD_WORKSPACE_TESTED:-}" != 1 ]; then
  step "the glue's unit tests and the header check (cargo test -p cccd-ffi)"
  cargo test -p cccd-ffi
fi

step "the cccd command, for the reference output"
# Built the way test-all.sh's `cargo test --workspace --all-features` builds it (`cargo build`
# would leave out the dev-dependencies' features and rebuild the workspace): nothing to
# rebuild after it.
cargo test --workspace --all-features --no-run
cccd=$target/debug/cccd

step "compile the C example and tests ($CC, $CXX)"
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -Ibindings/c/include)
"$CC" "${cflags[@]}" bindings/c/examples/validate.c -L"$lib" -lcccd -o "$work/validate"
"$CC" "${cflags[@]}" bindings/c/examples/scan.c -L"$lib" -lcccd -o "$work/scan"
"$CC" "${cflags[@]}" bindings/c/tests/typed.c -L"$lib" -lcccd -lpthread -o "$work/typed"
"$CXX" -std=c++11 -Wall -Wextra -Werror -pedantic -Ibindings/c/include bindings/c/tests/cplusplus.cc \
  -L"$lib" -lcccd -o "$work/cplusplus"
# The static library, with the system libraries Rust's standard library needs on Linux.
"$CC" "${cflags[@]}" bindings/c/examples/validate.c "$lib/libcccd.a" -lpthread -ldl -lm \
  -o "$work/validate-static"
# The README's complete C example, and the output the README shows for it.
python3 - "$work" <<'EOF'
import re, sys
readme = open("README.md", encoding="utf-8").read()
section = readme[readme.index("## C and other languages"):]
found = re.search(r"```c\n(.*?)```\s*```text\n(.*?)```", section, re.S)
open(sys.argv[1] + "/readme.c", "w", encoding="utf-8").write(found.group(1))
open(sys.argv[1] + "/readme-shown.txt", "w", encoding="utf-8").write(found.group(2))
EOF
"$CC" "${cflags[@]}" "$work/readme.c" -L"$lib" -lcccd -o "$work/readme"
export LD_LIBRARY_PATH="$(cd "$lib" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

"$work/readme" > "$work/readme-got.txt"
compare "the README's C example" "$work/readme-shown.txt" "$work/readme-got.txt"

step "the payload corpus"
# testdata/payloads/cases.jsonl (every input without a line feed), then a generated mixed set
# (valid, invalid and damaged payloads; CR LF line ends, lone CRs, mojibake...).
python3 - "$work/cases.txt" <<'EOF'
import json, sys
with open(sys.argv[1], "wb") as out:
    for line in open("testdata/payloads/cases.jsonl", encoding="utf-8"):
        case = json.loads(line)
        data = bytes.fromhex(case["input_hex"]) if "input_hex" in case else case["input"].encode()
        if b"\n" not in data:
            out.write(data + b"\n")
EOF
"$cccd" gen --count 3000 --kind mixed --seed 15 > "$work/mixed.txt"
cat "$work/cases.txt" "$work/mixed.txt" > "$work/corpus.txt"

for mode in strict lenient redact; do
  flag=()
  [ "$mode" = lenient ] && flag=(--lenient)
  [ "$mode" = redact ] && flag=(--lenient --redact)
  "$cccd" parse "${flag[@]}" --today "$TODAY" --quiet < "$work/corpus.txt" > "$work/expected-$mode.jsonl" || true
  "$work/validate" "${flag[@]}" --today "$TODAY" < "$work/corpus.txt" > "$work/got-$mode.jsonl"
  compare "validate $mode" "$work/expected-$mode.jsonl" "$work/got-$mode.jsonl"
  "$work/validate-static" "${flag[@]}" --today "$TODAY" < "$work/corpus.txt" > "$work/static-$mode.jsonl"
  compare "validate (static library) $mode" "$work/expected-$mode.jsonl" "$work/static-$mode.jsonl"
done
# Without --today both use the local date.
head -200 "$work/corpus.txt" > "$work/head.txt"
"$cccd" parse --lenient --quiet < "$work/head.txt" > "$work/expected-local.jsonl" || true
"$work/validate" --lenient < "$work/head.txt" > "$work/got-local.jsonl"
compare "validate with the local date" "$work/expected-local.jsonl" "$work/got-local.jsonl"
# Lines longer than a payload can be, and a line of raw bytes.
{ head -c 5000 /dev/zero | tr '\0' 7; echo; printf '\xff\xfe\r\n'; printf 'x\r\r\n'; } > "$work/odd.txt"
"$cccd" parse --quiet < "$work/odd.txt" > "$work/expected-odd.jsonl" || true
"$work/validate" < "$work/odd.txt" > "$work/got-odd.jsonl"
compare "validate on odd lines" "$work/expected-odd.jsonl" "$work/got-odd.jsonl"

step "generated QR images and a corrupt one: cccd_scan_json against cccd scan"
"$cccd" gen --count 3 --seed 15 --format qr-png --out "$work/qr" >/dev/null
printf '\x89PNG\r\n\x1a\nnot really a png' > "$work/qr/qr/corrupt.png"
image=$work/qr/qr/000001.png
id=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["expected"]["card"]["id_number"])' \
  "$work/qr/manifest.jsonl")
# Both objects without what differs by nature: the file name and the time taken.
strip() { sed -E 's/"file":"[^"]*",//; s/"elapsed_ms":[0-9.]+,//'; }
for flag in --today --raw --redact; do
  args=(--today "$TODAY")
  [ "$flag" != --today ] && args+=("$flag")
  "$cccd" scan "${args[@]}" --quiet "$work"/qr/qr/*.png | strip > "$work/expected-scan$flag.jsonl" || true
  "$work/scan" "${args[@]}" "$work"/qr/qr/*.png | strip > "$work/got-scan$flag.jsonl"
  compare "scan ${args[*]}" "$work/expected-scan$flag.jsonl" "$work/got-scan$flag.jsonl"
done

step "the typed API test, and the header from C++"
"$work/typed" "$image" "$id"
"$work/cplusplus"

step "valgrind"
vg=(valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible)
head -600 "$work/corpus.txt" > "$work/vg.txt"
"${vg[@]}" "$work/validate" --lenient --today "$TODAY" < "$work/vg.txt" > "$work/vg-got.jsonl"
"$work/validate" --lenient --today "$TODAY" < "$work/vg.txt" > "$work/vg-expected.jsonl"
compare "validate under valgrind" "$work/vg-expected.jsonl" "$work/vg-got.jsonl"
"${vg[@]}" "$work/validate" < "$work/odd.txt" > /dev/null
echo "ok: validate under valgrind, odd lines"
"${vg[@]}" "$work/typed" "$image" "$id"
echo "ok: typed test with a QR image under valgrind"

echo "== C binding: all passed in $((SECONDS - started)) s"
