// Node entry point of `cccd-vn`: the parser module, instantiated synchronously from the file.
import { readFileSync } from 'node:fs';
import * as wasm from '../pkg/cccd_parse.js';
import { Card, CccdError, Module } from './common.js';
import { makeApi } from './api.js';

wasm.initSync({ module: readFileSync(new URL('../pkg/cccd_parse_bg.wasm', import.meta.url)) });

const api = makeApi(new Module(wasm, () => wasm.__wbg_reset_state()));

export const parse = api.parse;
export const validate = api.validate;
export const readMrz = api.readMrz;
/** @internal for the tests of the panic path */
export const __panicForTest = api.panicForTest;
export { Card, CccdError };
