import * as Y from 'yjs';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const f = '/tmp/u20k.bin';
if (!existsSync(f)) {
  const { generateDemo } = await import('./src/lib/demo/generate');
  const demo = generateDemo({ addresses: 20000, visitRate: 0.5, rounds: 1 });
  writeFileSync(f, Y.encodeStateAsUpdate(demo.doc));
  process.exit(0);
}
const u = new Uint8Array(readFileSync(f));
const { PerformanceObserver } = await import('node:perf_hooks');
let gc = 0; const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) gc += e.duration; }); obs.observe({ entryTypes: ['gc'] });
const t = performance.now(); const d = new Y.Doc(); Y.transact(d, () => Y.applyUpdate(d, u)); const ms = performance.now() - t;
await new Promise((r) => setTimeout(r, 50));
console.log(`apply ${ms.toFixed(0)} ms, gc ${gc.toFixed(0)} ms, flags ${process.execArgv.filter((a) => a.startsWith('--max') || a.startsWith('--min')).join(' ')}`);
