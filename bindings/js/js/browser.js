// Browser and bundler entry point of `cccd-vn`: the parser module, fetched next to this file.
import init, * as wasm from '../pkg/cccd_parse.js';
import { Card, CccdError, Module } from './common.js';
import { makeApi } from './api.js';

await init({ module_or_path: new URL('../pkg/cccd_parse_bg.wasm', import.meta.url) });

const api = makeApi(new Module(wasm, () => wasm.__wbg_reset_state()));

export const parse = api.parse;
export const validate = api.validate;
export const readMrz = api.readMrz;
/** @internal for the tests of the panic path */
export const __panicForTest = api.panicForTest;
export { Card, CccdError };
