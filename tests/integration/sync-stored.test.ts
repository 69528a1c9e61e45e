import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MESSAGE_STORED, encodeStoredRequest } from '../../src/lib/collab/stored';
import { addPin, whenSynced, type TestClient } from '../support/clients';
import { DRIVERS } from '../support/drivers';
import { syncTestbed } from '../support/sync-testbed';

/** A server's write delay in these tests: long enough that "applied" and "stored" differ. */
const WRITE_DELAY_MS = 2_000;

/** The server's answers to "what is stored?" on a client's socket, with when they came. */
function storedAnswers(client: TestClient): { at: number; stateVector: Map<number, number> }[] {
	const answers: { at: number; stateVector: Map<number, number> }[] = [];
	client.provider.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
		answers.push({
			at: Date.now(),
			stateVector: Y.decodeStateVector(decoding.readVarUint8Array(decoder))
		});
	};
	return answers;
}

function ask(client: TestClient): void {
	client.provider.ws!.send(encodeStoredRequest() as Uint8Array<ArrayBuffer>);
}

/** Whether a state vector covers everything a client wrote. */
function covers(stateVector: Map<number, number>, client: TestClient): boolean {
	return (
		(stateVector.get(client.doc.clientID) ?? 0) >= Y.getState(client.doc.store, client.doc.clientID)
	);
}

/**
 * "Alles opgeslagen" means stored: the page asks the server what is stored, and the server answers
 * only once its database has everything it had applied when asked (collab/stored.ts). A server
 * killed the moment it answered still has the change after a restart.
 */
describe.each(DRIVERS)('what the server says is stored (%s)', (driver) => {
	const { fresh, client, server } = syncTestbed({
		BUURTBORD_PERSIST_DEBOUNCE_MS: String(WRITE_DELAY_MS),
		BUURTBORD_PERSIST_MAX_WAIT_MS: String(WRITE_DELAY_MS)
	});

	it('answers after the write, and a crash right after the answer loses nothing', async () => {
		const db = await fresh(driver);
		const first = await server(db);
		const editor = client(first.port);
		const answers = storedAnswers(editor);
		await whenSynced(editor);

		const editedAt = Date.now();
		addPin(editor, 'bewaard', 'Bewaarde pin');
		ask(editor);
		await expect.poll(() => answers.length, { timeout: 15_000 }).toBe(1);
		// Not before the write delay: applied at once, stored only then.
		expect(answers[0]!.at - editedAt).toBeGreaterThanOrEqual(WRITE_DELAY_MS);
		expect(covers(answers[0]!.stateVector, editor)).toBe(true);

		// The crash, the moment the answer came; a restart on the same data.
		await first.stop('SIGKILL');
		const second = await server({ ...db, port: first.port });
		editor.destroy();
		const after = client(second.port);
		await whenSynced(after);
		expect(after.pins.get('bewaard')?.get('title')).toBe('Bewaarde pin');
	}, 120_000);

	it('answers a question once per stored state, however often it is asked', async () => {
		const db = await fresh(driver);
		const { port } = await server(db);
		const editor = client(port);
		const answers = storedAnswers(editor);
		await whenSynced(editor);

		// Nothing unstored: answered at once, once.
		for (let i = 0; i < 200; i++) ask(editor);
		addPin(editor, 'een', 'Een');
		for (let i = 0; i < 200; i++) ask(editor);
		// The answers come in order: the first for the loaded board, then the one with the pin.
		await expect
			.poll(() => answers.some((a) => covers(a.stateVector, editor)), {
				timeout: 15_000
			})
			.toBe(true);
		expect(answers).toHaveLength(2);
		expect(covers(answers[0]!.stateVector, editor)).toBe(false);

		// A colleague's edit is stored as well: a later question is answered with it.
		const colleague = client(port);
		await whenSynced(colleague);
		addPin(colleague, 'twee', 'Twee');
		await expect.poll(() => editor.pins.has('twee')).toBe(true);
		ask(editor);
		await expect.poll(() => answers.length, { timeout: 15_000 }).toBe(3);
		expect(covers(answers[2]!.stateVector, colleague)).toBe(true);
	}, 120_000);
});
