/**
 * Server side of the analysis page (issue 10): the board's document as stored (for exports), the
 * street assignments (public.street_assignments) and the exports themselves, by role.
 */
import * as Y from 'yjs';
import {
	gesprekkenCsv,
	gesprekkenGeoJson,
	initiatievenCsv,
	initiatievenGeoJson,
	streetAggregatesCsv,
	streetAggregatesGeoJson,
	streetCoverage,
	summariseAddresses,
	type StreetAssignment
} from '../board/analysis';
import { listGesprekken, listInitiatieven, listThemas } from '../board';
import type { BoardRole } from './access';
import { listAddresses } from './boards';
import type { Db, Queryable } from './db';
import { getPublication } from './public/store';
import { UpdateStore } from './sync/store';

/**
 * The board's shared document as stored (edits of the last half second may not be stored yet).
 * Never an organisation's confidential notes: those live in other documents.
 */
export async function loadBoardDocument(db: Db, boardId: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const rows = await new UpdateStore(db).load(boardId);
	if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => r.data)));
	return doc;
}

export async function listAssignments(db: Queryable, boardId: string): Promise<StreetAssignment[]> {
	return db.query<StreetAssignment>(
		'select street, assignee from public.street_assignments where board_id = $1 order by street',
		[boardId]
	);
}

/** Sets who walks each street (an empty assignee removes the assignment). */
export async function saveAssignments(
	db: Db,
	boardId: string,
	assignments: readonly StreetAssignment[]
): Promise<void> {
	await db.transaction(async (tx) => {
		for (const a of assignments) {
			if (a.assignee === '') {
				await tx.query(
					'delete from public.street_assignments where board_id = $1 and street = $2',
					[boardId, a.street]
				);
			} else {
				await tx.query(
					`insert into public.street_assignments (board_id, street, assignee) values ($1, $2, $3)
					 on conflict (board_id, street) do update set assignee = excluded.assignee`,
					[boardId, a.street, a.assignee]
				);
			}
		}
	});
}

export const EXPORT_KINDS = ['gesprekken', 'initiatieven', 'straten'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = 'csv' | 'geojson';

export interface ExportRequest {
	what: ExportKind;
	format: ExportFormat;
	/** Street aggregates only, group size 5, no free text. */
	anonymised: boolean;
	/** Gesprekken with their shared notes. */
	notes: boolean;
}

export class ExportRefused extends Error {}

/**
 * What a role may export. Viewers: anonymised street totals and public initiatieven. Editors and
 * owners (the professionals working the board): everything, gesprekken with shared notes on
 * request. Confidential notes are never exported (they are not in this document at all).
 */
export function allowedExport(role: BoardRole, request: ExportRequest): ExportRequest {
	if (request.anonymised) return { ...request, what: 'straten', notes: false };
	if (role === 'viewer') {
		if (request.what === 'gesprekken') throw new ExportRefused('viewers export aggregates only');
		if (request.what === 'straten') return { ...request, anonymised: true, notes: false };
		return { ...request, notes: false };
	}
	return request;
}

/**
 * What an export held, as the audit log stores it (never content): kind, format, anonymised or
 * not, and for gesprekken whether the shared notes were in it, e.g. `gesprekken:csv:full:notes`.
 */
export function exportSubject(r: ExportRequest): string {
	const parts: string[] = [r.what, r.format, r.anonymised ? 'anonymised' : 'full'];
	if (r.what === 'gesprekken') parts.push(r.notes ? 'notes' : 'no-notes');
	return parts.join(':');
}

/** An audit entry's export as the log shows it; `notes` null when the entry does not say. */
export interface ExportDescription {
	what: ExportKind;
	format: ExportFormat;
	anonymised: boolean;
	notes: boolean | null;
}

const isKind = (s: string | undefined): s is ExportKind =>
	(EXPORT_KINDS as readonly (string | undefined)[]).includes(s);
const isFormat = (s: string | undefined): s is ExportFormat => s === 'csv' || s === 'geojson';

/**
 * Reads an export's audit subject: {@link exportSubject}'s form, or the file name older entries
 * stored (`<board>-<kind>[-anoniem].<format>`, which did not say whether notes were in it).
 */
export function describeExport(subject: string | null): ExportDescription | null {
	if (!subject) return null;
	const [what, format, scope, notes, ...rest] = subject.split(':');
	if (isKind(what) && isFormat(format) && (scope === 'anonymised' || scope === 'full')) {
		if (rest.length > 0) return null;
		if (what === 'gesprekken' && notes !== 'notes' && notes !== 'no-notes') return null;
		if (what !== 'gesprekken' && notes !== undefined) return null;
		return { what, format, anonymised: scope === 'anonymised', notes: notes === 'notes' };
	}
	const old = /-(gesprekken|initiatieven|straten)(-anoniem)?\.(csv|geojson)$/.exec(subject);
	if (!old || !isKind(old[1]) || !isFormat(old[3])) return null;
	return {
		what: old[1],
		format: old[3],
		anonymised: old[2] !== undefined,
		notes: old[1] === 'gesprekken' && !old[2] ? null : false
	};
}

/** Builds the export file: its name, type and text, and what it holds (after the role's limits). */
export async function buildExport(
	db: Db,
	boardId: string,
	role: BoardRole,
	request: ExportRequest
): Promise<{ filename: string; type: string; body: string; request: ExportRequest }> {
	const r = allowedExport(role, request);
	const doc = await loadBoardDocument(db, boardId);
	try {
		const addresses = await listAddresses(db, boardId);
		const addressById = new Map(addresses.map((a) => [a.id, a]));
		const themaList = listThemas(doc);
		const themas = new Map(themaList.map((t) => [t.id, t]));
		let body: string;
		if (r.what === 'gesprekken') {
			const list = listGesprekken(doc);
			body =
				r.format === 'csv'
					? gesprekkenCsv(list, addressById, themas, { notes: r.notes })
					: JSON.stringify(gesprekkenGeoJson(list, addressById, themas, { notes: r.notes }));
		} else if (r.what === 'initiatieven') {
			const list = listInitiatieven(doc, { includeInternal: role !== 'viewer' });
			body =
				r.format === 'csv'
					? initiatievenCsv(list, addressById, themas)
					: JSON.stringify(initiatievenGeoJson(list, addressById, themas));
		} else {
			// Anonymised as the public pages are: the board's k, and no household that withdrew consent.
			const gesprekken = listGesprekken(doc).filter((g) => !r.anonymised || !g.consent.withdrawn);
			const streets = streetCoverage(addresses, summariseAddresses(addresses, gesprekken));
			const options = {
				anonymised: r.anonymised,
				k: r.anonymised ? (await getPublication(db, boardId)).k : undefined
			};
			body =
				r.format === 'csv'
					? streetAggregatesCsv(streets, themaList, options)
					: JSON.stringify(streetAggregatesGeoJson(streets, addresses, themaList, options));
		}
		const suffix = r.anonymised ? '-anoniem' : r.notes ? '-met-notities' : '';
		return {
			filename: `${boardId}-${r.what}${suffix}.${r.format}`,
			type: r.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json',
			body,
			request: r
		};
	} finally {
		doc.destroy();
	}
}
