import type postgres from 'postgres';
import { MESSAGE_NOT_TAKEN, decodeNotTaken, type NotTaken } from '../../src/lib/collab/not-taken';
import type { TestClient } from './clients';

/**
 * Helpers of the tests of a device that still holds an erased household's data
 * (erasure-offline-*.test.ts).
 */

/** Stored rows (board and organisation documents) whose bytes hold this text. */
export async function storedRowsWith(sql: postgres.Sql, text: string): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select (select count(*)::int from public.board_updates
			where position(convert_to(${text}, 'UTF8') in data) > 0)
		+ (select count(*)::int from public.org_note_updates
			where position(convert_to(${text}, 'UTF8') in data) > 0) as n`;
	return row!.n;
}

/** An owner erases the household at an address, as the settings page does. */
export async function eraseAt(url: string, ownerCookie: string, addressId: string): Promise<void> {
	const res = await fetch(`${url}/boards/spoorbuurt/wissen`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie: ownerCookie },
		body: JSON.stringify({ addressId })
	});
	if (res.status !== 200) throw new Error(`erasure answered ${res.status}`);
}

/** What the server says it did not take on this client's socket, as "path reason". */
export function notTakenOn(client: TestClient): string[] {
	const told: string[] = [];
	client.provider.messageHandlers[MESSAGE_NOT_TAKEN] = (_encoder, decoder) => {
		const parts: NotTaken[] = decodeNotTaken(decoder)?.parts ?? [];
		told.push(...parts.map((p) => `${p.path.join('/')} ${p.reason}`));
	};
	return told;
}

/** Every sync message a client receives from the server, as raw bytes (latin1 text) to search. */
export function received(client: TestClient): { text(): string } {
	const parts: string[] = [];
	const handlers = client.provider.messageHandlers;
	const sync = handlers[MESSAGE_SYNC]!;
	handlers[MESSAGE_SYNC] = (encoder, decoder, ...rest) => {
		parts.push(Buffer.from(decoder.arr).toString('latin1'));
		sync(encoder, decoder, ...rest);
	};
	return { text: () => parts.join('') };
}

const MESSAGE_SYNC = 0;
