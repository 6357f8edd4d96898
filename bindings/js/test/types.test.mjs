// The TypeScript declarations: a strict compile of test/types.ts (usage that must type-check,
// and misuse that must not).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { PKG } from './helpers.mjs';

test('the TypeScript declarations type-check the API and reject misuse', () => {
  const tsc = join(PKG, 'node_modules', '.bin', 'tsc');
  const out = spawnSync(tsc, ['-p', join(PKG, 'test', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stdout + out.stderr);
});
