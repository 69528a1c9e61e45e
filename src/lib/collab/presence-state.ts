import { z } from 'zod';
import { OUTCOMES } from '../board/layout';

/**
 * What one browser tab tells the others about itself (y-protocols awareness state). Shared by the
 * browser (presence.svelte.ts) and the sync server (src/lib/server/sync/presence.ts), which keeps
 * only these fields and adds `user` itself: a client never chooses the name others see.
 */

const id = z.string().min(1).max(200);
const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

/** A point on the map (WGS84). */
export const pointSchema = z.object({ lon, lat });

/** What a person has open beside the map: the same shape as the board page's panel. */
export const selectionSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('address'), id, editing: id.nullable() }),
	z.object({ kind: z.literal('initiatief'), id }),
	z.object({ kind: z.literal('notitie'), id })
]);

/** Most values of one criterion a shared filter may hold (the page offers one at a time). */
export const FILTER_VALUES_MAX = 20;
const values = <T extends z.ZodType>(item: T) => z.array(item).max(FILTER_VALUES_MAX);
/** One value of a criterion as presence carries it (presence-filters.ts sends only these). */
export const filterNameSchema = z.string().min(1).max(200);
export const filterRoundSchema = z.number().int().min(1).max(99);
export const filterDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const INITIATIEF_STATUS_MAX = 50;
const day = filterDaySchema.nullable();

/**
 * The board page's one filter (map and lists, board-filters.svelte.ts) in full: the analysis's
 * criteria (AND between them, OR within one), "open doors only" and the initiatieven's status.
 * Added in session 21 beside the older fields below, which stay what older pages read.
 */
export const criteriaSchema = z.object({
	themeIds: values(filterNameSchema),
	rounds: values(filterRoundSchema),
	outcomes: values(z.enum(OUTCOMES)),
	from: day,
	to: day,
	streets: values(filterNameSchema),
	heldBy: values(filterNameSchema),
	openOnly: z.boolean(),
	initiatiefStatus: z.string().max(INITIATIEF_STATUS_MAX)
});

/**
 * The filters a presenter shares with their followers. The first six fields are the list's
 * filters as older pages send and read them (one theme, status, round and street; every page still
 * sends them, so an older follower follows as well as it can); `criteria`, when sent, is the whole
 * filter and wins over them. A state without it (an older page) is read from the six.
 */
export const filtersSchema = z.object({
	tab: z.enum(['addresses', 'gesprekken', 'initiatieven']),
	theme: z.string().max(200),
	status: z.string().max(INITIATIEF_STATUS_MAX),
	round: z.string().max(10),
	street: z.string().max(200),
	sort: z.enum(['street', 'date']),
	criteria: criteriaSchema.optional()
});

export const presenceStateSchema = z.object({
	/** The mouse on the map; null when it left the map. */
	cursor: pointSchema.nullable().optional(),
	/** The map's view: centre and zoom. */
	view: z
		.object({ lon, lat, zoom: z.number().finite().min(0).max(24) })
		.nullable()
		.optional(),
	selection: selectionSchema.nullable().optional(),
	/** The item whose form this person has open for editing (kind + id), if any. */
	editing: z
		.object({ kind: z.enum(['gesprek', 'initiatief', 'notitie']), id })
		.nullable()
		.optional(),
	filters: filtersSchema.nullable().optional(),
	/** This person presents: everybody else follows them by default. */
	presenting: z.boolean().optional(),
	/** When this person started presenting (ms since epoch): the latest presenter wins. */
	presentingSince: z.number().int().nonnegative().optional()
});

/**
 * A presence state read field by field: each known field that passes its schema is kept, one that
 * does not is dropped alone, and unknown fields go. Within `filters`, criteria out of bounds drop
 * only `criteria` (the older six fields still lead an older follower). Undefined for anything but
 * a plain object. Before (QA sec2), one bad value (a malformed cursor, an overlong street name in
 * the filters) dropped the whole state: that tab vanished from everyone's presence bar, cursors
 * and "X bewerkt dit". Used by the sync server (presence.ts) and the browser (presence.svelte.ts).
 */
export function parsePresenceState(value: unknown): PresenceState | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const input = value as Record<string, unknown>;
	const shape = presenceStateSchema.shape;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
		if (!Object.hasOwn(input, key) || input[key] === undefined) continue;
		const parsed = shape[key].safeParse(input[key]);
		if (parsed.success) out[key] = parsed.data;
		else if (key === 'filters') {
			const filters = input.filters as Record<string, unknown> | null;
			if (typeof filters !== 'object' || filters === null || !('criteria' in filters)) continue;
			const older = { ...filters };
			delete older.criteria;
			const withoutCriteria = filtersSchema.safeParse(older);
			if (withoutCriteria.success) out.filters = withoutCriteria.data;
		}
	}
	return out as PresenceState;
}

/** Who the server says a state belongs to (the signed-in user of the connection that sent it). */
export const presenceUserSchema = z.object({
	id: z.string(),
	name: z.string(),
	organisation: z.string().nullable(),
	colour: z.string()
});

export type PresencePoint = z.infer<typeof pointSchema>;
export type PresenceSelection = z.infer<typeof selectionSchema>;
export type PresenceFilters = z.infer<typeof filtersSchema>;
export type PresenceCriteria = z.infer<typeof criteriaSchema>;
export type PresenceState = z.infer<typeof presenceStateSchema>;
export type PresenceUser = z.infer<typeof presenceUserSchema>;
/** A state as others receive it: stamped by the server. */
export type StampedPresence = PresenceState & { user: PresenceUser };

/** The key under which the server stamps the user into each state. */
export const PRESENCE_USER_KEY = 'user';

/**
 * A person's colour, derived from their user id (the same on every screen and every visit):
 * a hue from a hash of the id, dark enough for white text (at least 4.5:1, WCAG AA for the small
 * initials on it; yellows and greens need a lower lightness than blues) and for a line on the map.
 */
export function presenceColour(userId: string): string {
	let hash = 2166136261;
	for (let i = 0; i < userId.length; i++) {
		hash ^= userId.charCodeAt(i);
		hash = Math.imul(hash, 16777619);
	}
	const hue = (hash >>> 0) % 360;
	for (let lightness = 0.38; ; lightness -= 0.02) {
		const colour = hslToHex(hue, 0.7, lightness);
		if (contrastWithWhite(colour) >= 4.5 || lightness <= 0.2) return colour;
	}
}

/** WCAG contrast ratio of white text on a colour "#rrggbb". */
export function contrastWithWhite(colour: string): number {
	const channel = (i: number) => {
		const c = parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
	return 1.05 / (luminance + 0.05);
}

function hslToHex(h: number, s: number, l: number): string {
	const a = s * Math.min(l, 1 - l);
	const f = (n: number) => {
		const k = (n + h / 30) % 12;
		const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
		return Math.round(c * 255)
			.toString(16)
			.padStart(2, '0');
	};
	return `#${f(0)}${f(8)}${f(4)}`;
}
