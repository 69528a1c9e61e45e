import { applyMappingAsync, previewCsv } from '../src/lib/geo/csv-import';
import { dedupeImport, mergeImport, rowsToSend } from '../src/lib/geo/merge';
const HEADER = 'Complexnr;VHE-nummer;Straat;Huisnr.;Huisnr. toev.;Postcode;Plaats;X-coördinaat (RD);Y-coördinaat (RD);Oppervlakte m²';
function exportLines(count: number, from = 1): string[] {
	return Array.from({ length: count }, (_, i) => {
		const n = from + i;
		const postcode = `6${String(100 + Math.floor(n / 100)).padStart(3, '0')}KL`;
		const x = (187_000 + (n % 1000) * 1.5).toFixed(2).replace('.', ',');
		const y = (427_000 + Math.floor(n / 1000) * 3).toFixed(2).replace('.', ',');
		return `104;${1_040_000 + n};Händelstraat;${(n % 100) + 1};;${postcode};Nijmegen;${x};${y};72`;
	});
}
const file = Uint8Array.from([HEADER, ...exportLines(50000, 10_000)].join('\r\n'), (c) => c.charCodeAt(0));
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, Math.round(n - t)); t = n; };
const { table, proposal } = previewCsv(file); lap('preview');
const result = await applyMappingAsync(table, proposal.mapping); lap('apply');
const deduped = dedupeImport(result.rows); lap('dedupe');
const rows = rowsToSend(deduped.rows, deduped.duplicates); lap('rowsToSend');
const preview = mergeImport([], rows); lap('merge');
console.log(preview.added.length);
