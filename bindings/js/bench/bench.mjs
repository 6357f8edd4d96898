// `npm run bench`: in one run,
//  1. `parse` per payload in Node against a naive JavaScript parser (`split('|')` and `Date`
//     construction, no validation beyond that), on generated payloads;
//  2. `scan` per generated card photo in Chromium (headless) against the native `cccd scan`
//     (RAYON_NUM_THREADS=1) on the same photos.
// Prints a Markdown table; the README records one run. Not a test: no pass/fail.
//   node bench/bench.mjs [--payloads N] [--photos N] [--rounds N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { parse, validate } from 'cccd-vn';

import { launch } from '../test/chromium.mjs';
import { PKG, cccdBin, cccdJson, generatedPhotos } from '../test/helpers.mjs';
import { serve } from '../test/server.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PAYLOADS = arg('payloads', 20_000);
const PHOTOS = arg('photos', 20);
const ROUNDS = arg('rounds', 7);

/** The naive parser: what a page would write without cccd. */
function naiveParse(payload) {
  const f = payload.split('|');
  if (f.length !== 7 && f.length !== 11) throw new Error('field count');
  const date = (s) => {
    const d = new Date(Number(s.slice(4, 8)), Number(s.slice(2, 4)) - 1, Number(s.slice(0, 2)));
    if (Number.isNaN(d.getTime())) throw new Error('date');
    return d;
  };
  return {
    id_number: f[0],
    old_id_number: f[1] || null,
    full_name: f[2],
    date_of_birth: date(f[3]),
    sex: f[4] === 'Nam' ? 'male' : 'female',
    address: f[5],
    issue_date: date(f[6]),
    extra_fields: f.slice(7),
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ns per payload over `rounds` rounds (after one warm-up round), wall clock and this
 * process's CPU time (steadier on a shared machine): [[median, min, max], [median, min, max]]. */
function timePerPayload(fn, payloads, rounds) {
  let sink = 0;
  const wall = [];
  const cpu = [];
  for (let r = -1; r < rounds; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    for (const p of payloads) sink += fn(p).id_number.length;
    const used = process.cpuUsage(c);
    if (r >= 0) {
      wall.push(((performance.now() - t) * 1e6) / payloads.length);
      cpu.push(((used.user + used.system) * 1e3) / payloads.length);
    }
  }
  if (sink === 0) throw new Error('nothing parsed');
  const stats = (xs) => [median(xs), Math.min(...xs), Math.max(...xs)];
  return [stats(wall), stats(cpu)];
}

const fmt = ([m, lo, hi], unit = 'ns') => `${m.toFixed(0)} ${unit} (${lo.toFixed(0)}–${hi.toFixed(0)})`;

// 1. parse in Node.
const dir = mkdtempSync(join(tmpdir(), 'cccd-bench-'));
execFileSync(cccdBin(), ['gen', '--kind', 'valid', '-n', String(PAYLOADS), '--seed', '3', '--out', dir]);
const payloads = readFileSync(join(dir, 'payloads.txt'), 'utf8').split('\r\n').filter((l) => l);
const naive = timePerPayload(naiveParse, payloads, ROUNDS);
const ours = timePerPayload((p) => parse(p), payloads, ROUNDS);
const oursValidate = timePerPayload((p) => validate(p).card, payloads, ROUNDS);
console.log(`## parse in Node ${process.version}, ${payloads.length} generated payloads, ${ROUNDS} rounds (median, min–max)\n`);
console.log('| parser | wall clock per payload | CPU time per payload |');
console.log('|---|---|---|');
console.log(`| naive JavaScript (split + Date) | ${fmt(naive[0])} | ${fmt(naive[1])} |`);
console.log(`| cccd-vn parse | ${fmt(ours[0])} | ${fmt(ours[1])} |`);
console.log(`| cccd-vn validate | ${fmt(oursValidate[0])} | ${fmt(oursValidate[1])} |`);
console.log(
  `\nparse / naive: ${(ours[0][0] / naive[0][0]).toFixed(2)}× (wall clock), ${(ours[1][0] / naive[1][0]).toFixed(2)}× (CPU time)\n`,
);

// 2. scan in Chromium against the native command.
const photos = generatedPhotos(PHOTOS, 5);
const native = cccdJson(['scan', '--format', 'json', ...photos], undefined, { RAYON_NUM_THREADS: '1' });
const server = await serve(PKG);
const { context, close } = await launch();
let browser;
try {
  const page = await context.newPage();
  await page.goto(`${server.origin}/demo/index.html`);
  browser = await page.evaluate(
    async ({ images, rounds }) => {
      const { scan } = await import('/js/scan-browser.js');
      const out = [];
      for (const b64 of images) {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const times = [];
        let report;
        for (let r = 0; r < rounds; r++) {
          report = scan(bytes);
          times.push(report.elapsed_ms);
        }
        times.sort((a, b) => a - b);
        out.push({ ok: report.ok, ms: times[Math.floor(times.length / 2)], id: report.card?.id_number });
      }
      return { out, agent: navigator.userAgent };
    },
    { images: photos.map((p) => readFileSync(p).toString('base64')), rounds: 3 },
  );
} finally {
  await close();
  await server.close();
}
const nativeMs = native.map((r) => r.elapsed_ms);
const wasmMs = browser.out.map((r) => r.ms);
const ratios = wasmMs.map((w, i) => w / nativeMs[i]);
const version = browser.agent.match(/Chrom(e|ium)\/[\d.]+/)?.[0] ?? browser.agent;
console.log(`## scan per generated card photo (${photos.length} photos): ${version} headless vs native \`cccd scan\` (RAYON_NUM_THREADS=1)\n`);
console.log('| | median ms | min–max ms | cards read |');
console.log('|---|---|---|---|');
console.log(
  `| native | ${median(nativeMs).toFixed(1)} | ${Math.min(...nativeMs).toFixed(1)}–${Math.max(...nativeMs).toFixed(1)} | ${native.filter((r) => r.ok).length}/${photos.length} |`,
);
console.log(
  `| WebAssembly in Chromium | ${median(wasmMs).toFixed(1)} | ${Math.min(...wasmMs).toFixed(1)}–${Math.max(...wasmMs).toFixed(1)} | ${browser.out.filter((r) => r.ok).length}/${photos.length} |`,
);
console.log(
  `\nwasm / native per photo: median ${median(ratios).toFixed(2)}×, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`,
);
const sizes = JSON.parse(readFileSync(join(PKG, 'pkg', 'sizes.json'), 'utf8'));
console.log('\n## module sizes\n');
for (const [name, s] of Object.entries(sizes)) {
  console.log(`- ${name}_bg.wasm: ${(s.bytes / 1024).toFixed(0)} KiB, gzip -9 ${(s.gzip / 1024).toFixed(0)} KiB`);
}
