import { parse, validate } from 'cccd-vn';
import { readFileSync } from 'node:fs';
const cases = readFileSync('/work/wt-js/testdata/payloads/cases.jsonl','utf8').split('\n').filter(Boolean).map(JSON.parse);
const lines = cases.filter(c=>c.name.startsWith('valid-')).map(c=>c.input);
const ps = []; for (let i=0;i<100;i++) ps.push(...lines);
function naive(payload){const f=payload.split('|'); if(f.length!==7&&f.length!==11) throw new Error('x'); const d=(s)=>{const x=new Date(+s.slice(4,8), +s.slice(2,4)-1, +s.slice(0,2)); if(isNaN(x)) throw 1; return x}; return {id_number:f[0],old_id_number:f[1]||null,full_name:f[2],date_of_birth:d(f[3]),sex:f[4]==='Nam'?'male':'female',address:f[5],issue_date:d(f[6]),extra_fields:f.slice(7)}}
for (const [n,fn] of [['naive',naive],['parse',p=>parse(p)],['naive',naive],['parse',p=>parse(p)]]) {
  for (let r=0;r<3;r++){ const c=process.cpuUsage(); let s=0; for (const p of ps) s+=fn(p).id_number.length; const u=process.cpuUsage(c); console.log(n, ((u.user+u.system)*1e3/ps.length).toFixed(0),'ns cpu'); }
}
