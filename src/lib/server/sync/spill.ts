import {
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	unlinkSync,
	writeFileSync
} from 'node:fs';
import { join } from 'node:path';

/**
 * Edits that could not be stored before the process stopped (the database was away during a
 * graceful shutdown) are written to a spill file, which the next start appends to the documents'
 * logs before it serves anyone. One JSON line per document: `{"doc":"<name>","update":"<base64>"}`.
 * The file holds board content, like the database: it is readable by this user only.
 */
export interface Spilled {
	docName: string;
	update: Uint8Array;
}

const PREFIX = 'unstored-';

/** Writes the entries to a new file in `dir` (atomically: written aside, then renamed). Returns its path. */
export function writeSpill(dir: string, entries: Spilled[]): string | null {
	if (entries.length === 0) return null;
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const name = `${PREFIX}${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.jsonl`;
	const path = join(dir, name);
	const text = entries
		.map((e) =>
			JSON.stringify({ doc: e.docName, update: Buffer.from(e.update).toString('base64') })
		)
		.join('\n');
	writeFileSync(`${path}.tmp`, `${text}\n`, { mode: 0o600 });
	renameSync(`${path}.tmp`, path);
	return path;
}

/**
 * Appends every spilled update to its document's stored log, oldest file first, and removes each
 * file once all of its entries are stored. An entry whose document no longer exists (the board was
 * deleted) is skipped; any other failure stops the replay (and with it the start) with the file kept.
 */
export async function replaySpills(
	dir: string,
	append: (docName: string, update: Uint8Array) => Promise<void>,
	log: (message: string) => void
): Promise<number> {
	let files: string[];
	try {
		files = readdirSync(dir)
			.filter((f) => f.startsWith(PREFIX) && f.endsWith('.jsonl'))
			.sort();
	} catch {
		return 0;
	}
	let replayed = 0;
	for (const file of files) {
		const path = join(dir, file);
		const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
		for (const line of lines) {
			const entry = JSON.parse(line) as { doc: string; update: string };
			try {
				await append(entry.doc, new Uint8Array(Buffer.from(entry.update, 'base64')));
				replayed++;
			} catch (err) {
				// 23503: foreign key violation, the board is gone; nothing to keep its edits for.
				if ((err as { code?: string }).code !== '23503') throw err;
				log(`spill file ${file}: document ${entry.doc} no longer exists, skipped`);
			}
		}
		unlinkSync(path);
		log(`stored ${lines.length} unstored document update(s) from spill file ${file}`);
	}
	return replayed;
}
