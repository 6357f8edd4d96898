// `npm run build`: compiles the crate three times to WebAssembly (the parser module, then with
// the `scan` feature the scanner module, with the `chip` feature the chip module), runs wasm-bindgen (the CLI at the exact version of the
// `wasm-bindgen` crate in Cargo.lock) into pkg/, and records the gzipped sizes in
// pkg/sizes.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = join(here, 'Cargo.toml');
const pkg = join(here, 'pkg');

function run(cmd, args, opts = {}) {
  console.error(`$ ${cmd} ${args.join(' ')}`);
  return execFileSync(cmd, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...opts,
  });
}

const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest]));
const targetDir = meta.target_directory;
const lock = readFileSync(join(meta.workspace_root, 'Cargo.lock'), 'utf8');
const wanted = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)?.[1];
const have = run('wasm-bindgen', ['--version']).trim().split(' ').pop();
if (have !== wanted) {
  throw new Error(`wasm-bindgen CLI ${have} does not match the crate ${wanted}: cargo install wasm-bindgen-cli --version ${wanted}`);
}

// A profile of its own: optimised for speed (the scanner), link-time optimised, no debug
// info; it leaves the workspace's release builds alone.
const profile = [
  '--config', 'profile.wasm.inherits="release"',
  '--config', 'profile.wasm.lto=true',
  '--config', 'profile.wasm.codegen-units=1',
  '--config', 'profile.wasm.debug=0',
  '--config', 'profile.wasm.opt-level=3',
  '--profile', 'wasm',
  // WebAssembly SIMD (every current browser, Node >= 16): the library's byte scans (`wide`)
  // and the image code vectorise.
  '--config', 'target.wasm32-unknown-unknown.rustflags=["-C", "target-feature=+simd128"]',
];

// Built next to pkg/ and swapped in at the end: a failed build leaves the last good one.
const out = `${pkg}.new`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const sizes = {};
for (const [name, features] of [
  ['cccd_parse', []],
  ['cccd_scan', ['--features', 'scan']],
  ['cccd_chip', ['--features', 'chip']],
]) {
  run('cargo', ['build', '--manifest-path', manifest, '--lib', '--target', 'wasm32-unknown-unknown', ...profile, ...features], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const built = join(targetDir, 'wasm32-unknown-unknown', 'wasm', 'cccd_js.wasm');
  const input = join(targetDir, 'wasm32-unknown-unknown', 'wasm', `${name}.wasm`);
  copyFileSync(built, input);
  run('wasm-bindgen', [
    '--target', 'web',
    '--out-dir', out,
    '--out-name', name,
    '--experimental-reset-state-function',
    input,
  ]);
  const wasm = join(out, `${name}_bg.wasm`);
  sizes[name] = { bytes: statSync(wasm).size, gzip: gzipSync(readFileSync(wasm), { level: 9 }).length };
}
writeFileSync(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
rmSync(pkg, { recursive: true, force: true });
renameSync(out, pkg);
for (const [name, s] of Object.entries(sizes)) {
  console.error(`${name}_bg.wasm: ${(s.bytes / 1024).toFixed(0)} KiB, gzipped ${(s.gzip / 1024).toFixed(0)} KiB`);
}
