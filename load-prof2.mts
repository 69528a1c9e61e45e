import * as Y from 'yjs';
import { generateDemo } from './src/lib/demo/generate';
const demo = generateDemo({ addresses: 20000, visitRate: 0.5, rounds: 1 });
const u = Y.encodeStateAsUpdate(demo.doc);
for (let i = 0; i < 6; i++) { const d = new Y.Doc(); Y.applyUpdate(d, u); }
