import * as Y from 'yjs';
import { generateDemo } from './src/lib/demo/generate';
const demo = generateDemo({ addresses: 20000, visitRate: 0.5, rounds: 1 });
const u = Y.encodeStateAsUpdate(demo.doc);
console.log('update bytes', u.length);
for (let i = 0; i < 4; i++) {
  const t = performance.now(); const d = new Y.Doc(); Y.applyUpdate(d, u); const t2 = performance.now();
  const sv = Y.encodeStateAsUpdate(d); const t3 = performance.now();
  console.log('apply', (t2 - t).toFixed(0), 'ms; encode', (t3 - t2).toFixed(0), 'ms');
}
const u2 = Y.encodeStateAsUpdateV2(demo.doc);
console.log('v2 bytes', u2.length);
for (let i = 0; i < 4; i++) {
  const t = performance.now(); const d = new Y.Doc(); Y.applyUpdateV2(d, u2); const t2 = performance.now();
  console.log('apply v2', (t2 - t).toFixed(0), 'ms');
}
for (let i = 0; i < 2; i++) {
  const t = performance.now(); const d = new Y.Doc(); Y.transact(d, () => Y.applyUpdate(d, u)); const t2 = performance.now();
  console.log('apply v1 in transact', (t2 - t).toFixed(0), 'ms');
}
