import { parse } from 'cccd-vn';
import { readFileSync } from 'node:fs';
const cases = readFileSync('/work/wt-js/testdata/payloads/cases.jsonl','utf8').split('\n').filter(Boolean).map(JSON.parse);
const lines = cases.filter(c=>c.name.startsWith('valid-')).map(c=>c.input);
let s=0; for (let i=0;i<600;i++) for (const p of lines) s+=parse(p).id_number.length;
