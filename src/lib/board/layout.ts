import { z } from 'zod';

/**
 * The layout of a board's Y.Doc, written once and used twice: by the commands in this folder
 * (reading entities back) and by the sync server (src/lib/server/sync/validate.ts), which refuses
 * any update that does not fit it. Each kind of entity is a top-level Y.Map keyed by id; each entity
 * is a Y.Map of fields. A field is a plain value, a nested Y.Map of fixed fields, a Y.Array (where
 * concurrent adds must merge) or a Y.Text (collaborative free text).
 */

/** A plain (JSON) value, stored as Yjs ContentAny. */
export interface ValueShape {
	kind: 'value';
	schema: z.ZodType;
}
/** A Y.Map with fixed field names. */
export interface MapShape {
	kind: 'map';
	fields: Record<string, Shape>;
	/** Fields a new map may leave out (all others are required). */
	optional?: readonly string[];
}
/** A Y.Map keyed by entity id. */
export interface RecordShape {
	kind: 'record';
	of: Shape;
}
export interface ArrayShape {
	kind: 'array';
	of: Shape;
	maxLength: number;
}
export interface TextShape {
	kind: 'text';
	maxLength: number;
	/**
	 * A field that was a plain string before it became a Y.Text (an initiatief's description): boards
	 * stored before still hold that string, which this schema accepts. Commands upgrade it to a
	 * Y.Text on its first edit.
	 */
	legacy?: ValueShape;
}
export type Shape = ValueShape | MapShape | RecordShape | ArrayShape | TextShape;

/** Limits shared by the commands and the server. */
export const LIMITS = {
	/** Any single string value in the document. */
	string: 10_000,
	id: 200,
	name: 200,
	listItem: 500,
	listLength: 200,
	description: 5_000,
	notes: 50_000,
	/** A whole update sent by one client (bytes). */
	updateBytes: 4 * 1024 * 1024
} as const;

/**
 * Close code of the sync socket when the server refused a document update that breaks this
 * layout; the close reason says what was wrong. The client must drop its local copy and reload.
 */
export const CLOSE_INVALID_UPDATE = 4422;

export const OUTCOMES = ['gesproken', 'niet-thuis', 'geweigerd', 'later'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const FOLLOW_UP_STATUSES = ['open', 'bezig', 'klaar'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const INITIATIEF_STATUSES = ['idee', 'in-voorbereiding', 'loopt', 'afgerond'] as const;
export type InitiatiefStatus = (typeof INITIATIEF_STATUSES)[number];

export const idSchema = z.string().min(1).max(LIMITS.id);
/** Organisations are identified by a uuid (public.organisations.id). */
export const organisationIdSchema = z.guid();
export const isoDateSchema = z.iso.date('must be a date as yyyy-mm-dd');
export const colourSchema = z
	.string()
	.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
	.transform((c) => c.toLowerCase());
export const lonSchema = z.number().min(-180).max(180);
export const latSchema = z.number().min(-90).max(90);
export const placeSchema = z.union([
	z.strictObject({ addressId: idSchema }),
	z.strictObject({ lon: lonSchema, lat: latSchema })
]);
export type Place = z.infer<typeof placeSchema>;

const value = (schema: z.ZodType): ValueShape => ({ kind: 'value', schema });
const map = (fields: Record<string, Shape>, optional: readonly string[] = []): MapShape => ({
	kind: 'map',
	fields,
	optional
});
const record = (of: Shape): RecordShape => ({ kind: 'record', of });
const array = (of: Shape, maxLength: number = LIMITS.listLength): ArrayShape => ({
	kind: 'array',
	of,
	maxLength
});
const str = (max: number, min = 0) => z.string().min(min).max(max);
const createdAt = value(z.union([z.string().max(40), z.number()]));

export const FOLLOW_UP_SHAPE = map({
	id: value(idSchema),
	what: value(str(LIMITS.listItem, 1)),
	who: value(str(LIMITS.name)),
	due: value(isoDateSchema.nullable()),
	status: value(z.enum(FOLLOW_UP_STATUSES))
});

export const GESPREK_SHAPE = map(
	{
		addressId: value(idSchema),
		date: value(isoDateSchema),
		round: value(z.number().int().min(1).max(99)),
		heldBy: value(str(LIMITS.name, 1)),
		outcome: value(z.enum(OUTCOMES)),
		themeIds: array(value(idSchema)),
		talents: array(value(str(LIMITS.listItem, 1))),
		wishes: array(value(str(LIMITS.listItem, 1))),
		worries: array(value(str(LIMITS.listItem, 1))),
		followUps: array(FOLLOW_UP_SHAPE),
		consent: map({
			recordedBy: value(str(LIMITS.name).nullable()),
			date: value(isoDateSchema.nullable()),
			withdrawn: value(z.boolean())
		}),
		notes: { kind: 'text', maxLength: LIMITS.notes },
		/**
		 * Set when the notes are "alleen mijn organisatie": the id of that organisation. The notes then
		 * live in that organisation's own document (ORG_NOTES_LAYOUT), never in this shared one.
		 * Optional, as gesprekken written before it have none; unmarking sets it to null.
		 */
		confidential: value(organisationIdSchema.nullable()),
		createdAt
	},
	['confidential']
);

/**
 * The fields of a gesprek that hold the household's personal data: what nothing may be added to
 * once the household withdrew its consent. One list for the commands (gesprekken.ts) and the sync
 * server (server/sync/consent-guard.ts), so both refuse the same writes. The consent record itself,
 * the address, date, round, outcome and who held it are not in it.
 */
export const GESPREK_PERSONAL_FIELDS = [
	'themeIds',
	'talents',
	'wishes',
	'worries',
	'followUps',
	'notes'
] as const;
export type GesprekPersonalField = (typeof GESPREK_PERSONAL_FIELDS)[number];

export const THEMA_SHAPE = map({
	name: value(str(LIMITS.name, 1)),
	colour: value(colourSchema),
	description: value(str(LIMITS.description)),
	archived: value(z.boolean()),
	/** Set when the theme was merged into another; links to it count as links to that one. */
	mergedInto: value(idSchema.nullable()),
	createdAt
});

export const INITIATIEF_SHAPE = map({
	title: value(str(LIMITS.name, 1)),
	/** Typed by several people at once: a Y.Text (a plain string on boards stored before). */
	description: {
		kind: 'text',
		maxLength: LIMITS.description,
		legacy: value(str(LIMITS.description))
	},
	place: value(placeSchema),
	status: value(z.enum(INITIATIEF_STATUSES)),
	themeIds: array(value(idSchema)),
	addressIds: array(value(idSchema), 1000),
	startDate: value(isoDateSchema.nullable()),
	publicContact: value(str(LIMITS.name)),
	internal: value(z.boolean()),
	createdAt
});

export const NOTITIE_SHAPE = map({
	text: value(str(LIMITS.description, 1)),
	lon: value(lonSchema),
	lat: value(latSchema),
	createdAt
});

/** Pins (src/lib/board/pins.ts); lenient, as older clients and tools write them. */
export const PIN_SHAPE = map(
	{
		id: value(idSchema),
		kind: value(str(50, 1)),
		title: value(str(1000)),
		addressId: value(idSchema.nullable()),
		lon: value(z.number()),
		lat: value(z.number()),
		createdAt
	},
	['id']
);

/** Every top-level type a board document may hold. */
export const BOARD_LAYOUT: Readonly<Record<string, RecordShape>> = {
	pins: record(PIN_SHAPE),
	gesprekken: record(GESPREK_SHAPE),
	themas: record(THEMA_SHAPE),
	initiatieven: record(INITIATIEF_SHAPE),
	notities: record(NOTITIE_SHAPE)
};

/**
 * The layout of an organisation's own document on a board (sync document `<board>/org/<org>`):
 * the confidential notes of gesprekken marked "alleen mijn organisatie", keyed by gesprek id.
 */
export const ORG_NOTES_LAYOUT: Readonly<Record<string, RecordShape>> = {
	notes: record({ kind: 'text', maxLength: LIMITS.notes })
};

export const TOP_LEVEL = {
	pins: 'pins',
	gesprekken: 'gesprekken',
	themas: 'themas',
	initiatieven: 'initiatieven',
	notities: 'notities'
} as const;

/** A zod schema for an entity's JSON form (`ymap.toJSON()`), derived from its shape. */
export function jsonSchemaOf(shape: Shape): z.ZodType {
	switch (shape.kind) {
		case 'value':
			return shape.schema;
		case 'map':
			return z.object(
				Object.fromEntries(
					Object.entries(shape.fields).map(([k, s]) => [
						k,
						shape.optional?.includes(k) ? jsonSchemaOf(s).optional() : jsonSchemaOf(s)
					])
				)
			);
		case 'record':
			return z.record(z.string(), jsonSchemaOf(shape.of));
		case 'array':
			return z.array(jsonSchemaOf(shape.of));
		case 'text':
			return z.string();
	}
}
