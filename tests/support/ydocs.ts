import * as Y from 'yjs';
import { addGesprek, type Gesprek } from '../../src/lib/board';

/**
 * Two documents as two browsers on one board, without a server. Updates that arrive carry the
 * origin 'remote', so a per-user undo manager (which tracks only local origins) ignores them.
 */

/** Connects two docs both ways, as the sync server would, and returns the disconnect. */
export function link(a: Y.Doc, b: Y.Doc): () => void {
	const ab = (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') Y.applyUpdate(b, update, 'remote');
	};
	const ba = (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') Y.applyUpdate(a, update, 'remote');
	};
	a.on('update', ab);
	b.on('update', ba);
	return () => {
		a.off('update', ab);
		b.off('update', ba);
	};
}

/** One exchange of what each side is missing, as after a reconnect. */
export function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
}

/** A spoken gesprek at an address, as a factory for tests of the board's commands. */
export function aGesprek(doc: Y.Doc, addressId = 'adres-1'): Gesprek {
	return addGesprek(doc, { addressId, date: '2026-12-01', heldBy: 'Ana', outcome: 'gesproken' });
}
