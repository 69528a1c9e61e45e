import { error, json } from '@sveltejs/kit';
import * as Y from 'yjs';
import { z } from 'zod';
import { idSchema, TOP_LEVEL } from '$lib/board/layout';
import { AUDIT_COALESCE_SECONDS, AUDIT_OPEN_RATE, recordAudit } from '$lib/server/audit';
import { requireBoardRoleApi } from '$lib/server/guard';
import { RateLimiter } from '$lib/server/rate-limit';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const openSchema = z.strictObject({ gesprekId: idSchema });

/**
 * Per person, over all boards and every server process on the database: a burst, then a steady
 * rate (see AUDIT_OPEN_RATE).
 */
const limiter = new RateLimiter(
	() => getRuntime().db,
	'audit.open',
	AUDIT_OPEN_RATE.burst,
	AUDIT_OPEN_RATE.perMinute
);

/**
 * How long a report may wait for its gesprek: the page that has just made one opens it at once,
 * and its report (HTTP) can overtake the gesprek itself (on the socket).
 */
const ARRIVAL_MS = 3000;

/** True as soon as the board's live document holds the gesprek; false after `ms` without it. */
function whenGesprek(doc: Y.Doc, gesprekId: string, ms: number): Promise<boolean> {
	const gesprekken = doc.getMap(TOP_LEVEL.gesprekken);
	const has = () => gesprekken.get(gesprekId) instanceof Y.Map;
	if (has()) return Promise.resolve(true);
	return new Promise((resolve) => {
		const done = (found: boolean) => {
			clearTimeout(timer);
			doc.off('update', onUpdate);
			resolve(found);
		};
		const onUpdate = () => {
			if (has()) done(true);
		};
		const timer = setTimeout(() => done(false), ms);
		doc.on('update', onUpdate);
	});
}

/**
 * A member opened a gesprek in the board's UI: recorded in the audit log as 'gesprek.open' (at
 * most once a minute per person and gesprek). The body names the gesprek by id, nothing else.
 * The log is append-only, so nothing is recorded for a gesprek that does not exist on this board
 * (404, checked in the board's live document, which may take a moment to receive a gesprek just
 * made), and each person may post only so often (429).
 */
export const POST: RequestHandler = async (event) => {
	const { user, boardId } = await requireBoardRoleApi(event, 'viewer');
	const body = openSchema.safeParse(await event.request.json().catch(() => null));
	if (!body.success) error(400, 'Expected {"gesprekId": "…"}');
	const wait = await limiter.take(user.id);
	if (wait > 0) {
		return json(
			{ recorded: false, error: 'too many requests' },
			{ status: 429, headers: { 'retry-after': String(wait) } }
		);
	}
	const { gesprekId } = body.data;
	const exists = await getRuntime().sync.readDocument(boardId, (doc) =>
		whenGesprek(doc, gesprekId, ARRIVAL_MS)
	);
	if (!exists) return json({ recorded: false, error: 'no such gesprek' }, { status: 404 });
	const recorded = await recordAudit(
		getRuntime().db,
		{ boardId, actorId: user.id, action: 'gesprek.open', subject: gesprekId },
		{ coalesceSeconds: AUDIT_COALESCE_SECONDS }
	);
	return json({ recorded });
};
