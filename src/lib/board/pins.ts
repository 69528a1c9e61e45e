import * as Y from 'yjs';
import { z } from 'zod';
import { BoardInputError, localOrigin, parse } from './common';

export { BoardInputError };

/**
 * Pins in a board's Y.Doc. Every pin is a Y.Map of plain fields, kept in the top-level map
 * `pins` under its id, so that two people editing different fields of one pin both win.
 * This module is the only place that knows that layout; components use the typed commands.
 */

export const PIN_KINDS = ['gesprek', 'initiatief', 'notitie'] as const;
export type PinKind = (typeof PIN_KINDS)[number];

export interface Pin {
	id: string;
	kind: PinKind;
	title: string;
	addressId: string | null;
	lon: number;
	lat: number;
	createdAt: string;
}

export const PIN_TITLE_MAX = 200;

const kindSchema = z.enum(PIN_KINDS);
const titleSchema = z
	.string()
	.trim()
	.min(1, 'title must not be empty')
	.max(PIN_TITLE_MAX, `title must be at most ${PIN_TITLE_MAX} characters`);

const newPinSchema = z.strictObject({
	kind: kindSchema,
	title: titleSchema,
	addressId: z.string().min(1).max(200).nullable().default(null),
	lon: z.number().min(-180).max(180),
	lat: z.number().min(-90).max(90)
});

const pinPatchSchema = z.strictObject({
	kind: kindSchema.optional(),
	title: titleSchema.optional()
});

const storedPinSchema = z.object({
	id: z.string(),
	kind: kindSchema,
	title: z.string(),
	addressId: z.string().nullable(),
	lon: z.number(),
	lat: z.number(),
	createdAt: z.string()
});

export type NewPin = z.input<typeof newPinSchema>;
export type PinPatch = z.input<typeof pinPatchSchema>;

type PinFields = Y.Map<unknown>;

function pinsMap(doc: Y.Doc): Y.Map<PinFields> {
	return doc.getMap<PinFields>('pins');
}

/** Reads one pin; null when it is missing or (e.g. from a newer client) not readable. */
function readPin(id: string, fields: PinFields | undefined): Pin | null {
	if (!(fields instanceof Y.Map)) return null;
	const result = storedPinSchema.safeParse({ ...fields.toJSON(), id });
	return result.success ? result.data : null;
}

/** Adds a pin and returns it. Throws BoardInputError on bad input. */
export function addPin(doc: Y.Doc, input: NewPin): Pin {
	const data = parse(newPinSchema, input, 'pin');
	const pin: Pin = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), ...data };
	doc.transact(() => {
		const fields = new Y.Map<unknown>();
		for (const [key, value] of Object.entries(pin)) {
			if (key !== 'id') fields.set(key, value);
		}
		pinsMap(doc).set(pin.id, fields);
	}, localOrigin(doc));
	return pin;
}

/** Changes the title and/or kind of a pin; only the given fields are written. */
export function updatePin(doc: Y.Doc, id: string, patch: PinPatch): Pin {
	const data = parse(pinPatchSchema, patch, 'pin change');
	const fields = pinsMap(doc).get(id);
	if (!fields) throw new BoardInputError(`No pin with id ${JSON.stringify(id)}`);
	doc.transact(() => {
		if (data.title !== undefined && fields.get('title') !== data.title)
			fields.set('title', data.title);
		if (data.kind !== undefined && fields.get('kind') !== data.kind) fields.set('kind', data.kind);
	});
	const pin = readPin(id, fields);
	if (!pin) throw new BoardInputError(`Pin ${JSON.stringify(id)} is not readable`);
	return pin;
}

/** Removes a pin; returns whether it existed. */
export function removePin(doc: Y.Doc, id: string): boolean {
	const pins = pinsMap(doc);
	if (!pins.has(id)) return false;
	doc.transact(() => pins.delete(id), localOrigin(doc));
	return true;
}

export function getPin(doc: Y.Doc, id: string): Pin | null {
	return readPin(id, pinsMap(doc).get(id));
}

/** All readable pins, oldest first (ties broken by id, so every client shows the same order). */
export function listPins(doc: Y.Doc): Pin[] {
	const pins: Pin[] = [];
	for (const [id, fields] of pinsMap(doc).entries()) {
		const pin = readPin(id, fields);
		if (pin) pins.push(pin);
	}
	return pins.sort((a, b) =>
		a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1
	);
}

/** Calls `listener` after every change to the pins (local or remote); returns the unsubscribe. */
export function observePins(doc: Y.Doc, listener: () => void): () => void {
	const pins = pinsMap(doc);
	const handler = () => listener();
	pins.observeDeep(handler);
	return () => pins.unobserveDeep(handler);
}
