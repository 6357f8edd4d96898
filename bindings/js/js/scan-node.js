// Node entry point of `cccd-vn/scan`: the scanner module, instantiated synchronously.
import { readFileSync } from 'node:fs';
import * as wasm from '../pkg/cccd_scan.js';
import { CccdError, Module } from './common.js';
import { makeScan } from './scan-api.js';

wasm.initSync({ module: readFileSync(new URL('../pkg/cccd_scan_bg.wasm', import.meta.url)) });

const api = makeScan(new Module(wasm, () => wasm.__wbg_reset_state()));

export const scan = api.scan;
/** @internal for the tests of the panic path */
export const __panicForTest = api.panicForTest;
export { CccdError };
