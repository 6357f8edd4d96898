// Node entry point of `cccd-vn/chip`: the chip module, instantiated synchronously.
import { readFileSync } from 'node:fs';
import * as wasm from '../pkg/cccd_chip.js';
import { CccdError, Module } from './common.js';
import { makeChip } from './chip-api.js';

wasm.initSync({ module: readFileSync(new URL('../pkg/cccd_chip_bg.wasm', import.meta.url)) });

const api = makeChip(new Module(wasm, () => wasm.__wbg_reset_state()));

export const readChip = api.readChip;
export const verify = api.verify;
/** @internal for the tests of the panic path */
export const __panicForTest = api.panicForTest;
export { CccdError };
