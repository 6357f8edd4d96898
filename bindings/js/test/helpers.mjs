// Shared by the tests: paths, the corpus, and the native `cccd` command to compare with.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO = dirname(dirname(PKG));
/** The reference date the corpus's expectations were computed for. */
export const TODAY = '2026-01-01';

/** The native command: $CCCD_BIN, else the workspace's release build (test.sh builds it). */
export function cccdBin() {
  const bin = process.env.CCCD_BIN ?? join(REPO, 'target', 'release', 'cccd');
  if (!existsSync(bin)) {
    throw new Error(
      `the native cccd command is needed to compare with: build it (cargo build --release -p cccd-cli) or set CCCD_BIN (looked for ${bin})`,
    );
  }
  return bin;
}

/** Runs the command; returns its stdout lines parsed as JSON, without the `line` key (the
 * command's numbering of its standard input, which the library's objects do not have). */
export function cccdJson(args, input, env = {}) {
  const out = spawnSync(cccdBin(), args, { input, maxBuffer: 1 << 28, env: { ...process.env, ...env } });
  if (out.error) throw out.error;
  if (out.status !== 0 && out.status !== 1) {
    throw new Error(`cccd ${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  }
  return out.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => {
      const o = JSON.parse(l);
      delete o.line;
      return o;
    });
}

export function corpus() {
  const text = readFileSync(join(REPO, 'testdata', 'payloads', 'cases.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const c = JSON.parse(l);
      const bytes =
        typeof c.input === 'string' ? Buffer.from(c.input, 'utf8') : Buffer.from(c.input_hex, 'hex');
      return { name: c.name, input: c.input ?? null, bytes: new Uint8Array(bytes), lenient: c.lenient, expect: c.expect };
    });
}

/** Generated card photos: `cccd gen --format photo` into a temporary directory. */
export function generatedPhotos(count, seed) {
  const dir = mkdtempSync(join(tmpdir(), 'cccd-js-photos-'));
  execFileSync(cccdBin(), ['gen', '--format', 'photo', '-n', String(count), '--seed', String(seed), '--out', dir]);
  const photos = join(dir, 'photos');
  return readdirSync(photos)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => join(photos, f));
}

/** The shared public QR photos (`../shared/qr-photos` beside the repository, as in CI). */
export function sharedPhotos() {
  const dir = process.env.CCCD_QR_PHOTOS ?? join(dirname(REPO), 'shared', 'qr-photos');
  if (!existsSync(dir)) {
    throw new Error(`the shared QR photos are needed: ${dir} (set CCCD_QR_PHOTOS)`);
  }
  const out = [];
  for (const set of readdirSync(dir).sort()) {
    const sub = join(dir, set);
    if (!statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub).sort()) {
      if (/\.(png|jpe?g|webp|gif|bmp)$/i.test(f)) out.push(join(sub, f));
    }
  }
  return out;
}

/** The object without the keys that differ between two runs (time). */
export function withoutTime(report) {
  const { elapsed_ms, file, ...rest } = report;
  return rest;
}
