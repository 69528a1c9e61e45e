import { error, fail } from '@sveltejs/kit';
import {
	compareRounds,
	coverageByAssignee,
	findTalents,
	householdsPerTheme,
	initiatiefPoint,
	printMap,
	stateCounts,
	streetCoverage,
	talentCounts,
	totalCoverage
} from '$lib/board/analysis';
import { listGesprekken, listInitiatieven, listThemas, OUTCOMES } from '$lib/board';
import { formatAddress } from '$lib/geo/address';
import { listAssignments, loadBoardDocument, saveAssignments } from '$lib/server/analysis';
import { getBoard, listAddresses } from '$lib/server/boards';
import { requireBoardRole } from '$lib/server/guard';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/forms';
import { filteredBoard } from './filtered';

/** The talents finder's radius around an initiatief, in metres, when none (or nonsense) is asked. */
const DEFAULT_RADIUS = 300;

/** A radius from the URL: a positive number of metres, else the default (never "no limit"). */
function talentRadius(value: string | null): number {
	const n = Number(value);
	return value && Number.isFinite(n) && n > 0 ? n : DEFAULT_RADIUS;
}

/**
 * The analysis page: aggregates computed here from the stored document (src/lib/board/analysis),
 * so the page gets tables, never the gesprekken themselves. Talents (personal) only for editors
 * and owners.
 */
export const load: PageServerLoad = async (event) => {
	const { boardId, role } = await requireBoardRole(event, 'viewer');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Board not found');
	const addresses = await listAddresses(db, boardId);
	const doc = await loadBoardDocument(db, boardId);
	try {
		const allGesprekken = listGesprekken(doc);
		const allThemas = listThemas(doc, { includeArchived: true });
		const themas = allThemas
			.filter((t) => !t.archived && !t.mergedInto)
			.map((t) => ({ id: t.id, name: t.name, colour: t.colour }));
		// The board page's filter, from this page's address (filtered.ts); the old `?street=` too.
		const filtered = filteredBoard(event.url.searchParams, addresses, allGesprekken, allThemas);
		const { summaries, shown, passing, gesprekken } = filtered;
		const streets = streetCoverage(filtered.addresses, summaries);
		// The print view: the doors the board shows (one street, or the whole board), as an SVG map.
		const chosen = filtered.value.filter.streets;
		const print = {
			street: chosen.length === 1 ? chosen[0]! : '',
			map: printMap(shown, summaries),
			counts: stateCounts(shown.map((a) => summaries.get(a.id)!))
		};
		const assignments = await listAssignments(db, boardId);
		const themeCounts = householdsPerTheme(shown.map((a) => summaries.get(a.id)!));
		const outcomes = OUTCOMES.map(
			(o) => [o, passing.filter((g) => g.outcome === o).length] as const
		);
		// Doors first spoken per month.
		const firstSpoken = new Map<string, string>();
		for (const g of passing) {
			if (g.outcome !== 'gesproken') continue;
			const was = firstSpoken.get(g.addressId);
			if (!was || g.date < was) firstSpoken.set(g.addressId, g.date);
		}
		const perMonth = new Map<string, number>();
		for (const d of firstSpoken.values())
			perMonth.set(d.slice(0, 7), (perMonth.get(d.slice(0, 7)) ?? 0) + 1);
		const initiatieven = listInitiatieven(doc, { includeInternal: role !== 'viewer' });
		const addressById = new Map(addresses.map((a) => [a.id, a]));
		const professional = role !== 'viewer';
		const talentQuery = {
			talent: event.url.searchParams.get('talent') ?? '',
			near: event.url.searchParams.get('near') ?? '',
			radius: talentRadius(event.url.searchParams.get('radius'))
		};
		const near = initiatieven.find((i) => i.id === talentQuery.near);
		const nearPoint = near ? initiatiefPoint(near, addressById) : null;
		const talents = professional
			? findTalents(addresses, allGesprekken, {
					talent: talentQuery.talent,
					...(nearPoint
						? { near: { lon: nearPoint[0], lat: nearPoint[1] }, radius: talentQuery.radius }
						: {})
				})
					.slice(0, 200)
					.map((t) => ({
						address: formatAddress(t.address),
						street: t.address.street,
						talents: t.talents,
						distance: t.distance === null ? null : Math.round(t.distance)
					}))
			: [];
		return {
			board: { id: board.id, name: board.name },
			role,
			filter: filtered.value,
			allStreets: [...new Set(addresses.map((a) => a.street))].sort((a, b) =>
				a.localeCompare(b, 'nl')
			),
			print,
			themas,
			streets: streets.map((s) => ({ ...s, themes: Object.fromEntries(s.themes) })),
			total: totalCoverage(streets),
			assignments,
			byAssignee: coverageByAssignee(streets, assignments),
			themeCounts: themas
				.map((t) => ({ ...t, households: themeCounts.get(t.id) ?? 0 }))
				.sort((a, b) => b.households - a.households),
			outcomes,
			perMonth: [...perMonth].sort((a, b) => a[0].localeCompare(b[0])),
			rounds: compareRounds(filtered.addresses, gesprekken),
			talentOptions: professional ? talentCounts(allGesprekken) : [],
			talents,
			talentQuery,
			initiatieven: initiatieven.map((i) => ({ id: i.id, title: i.title }))
		};
	} finally {
		doc.destroy();
	}
};

export const actions: Actions = {
	assign: async (event) => {
		const { boardId } = await requireBoardRole(event, 'editor');
		const form = await readForm(event.request);
		const { db } = getRuntime();
		const streets = new Set((await listAddresses(db, boardId)).map((a) => a.street));
		const assignments: { street: string; assignee: string }[] = [];
		for (const [key, value] of form) {
			if (!key.startsWith('street:')) continue;
			const street = key.slice('street:'.length);
			const assignee = String(value).replace(/\s+/g, ' ').trim();
			if (
				!streets.has(street) ||
				assignee.length > 200 ||
				[...assignee].some((c) => c.charCodeAt(0) < 32)
			) {
				return fail(400, { assignError: street });
			}
			assignments.push({ street, assignee });
		}
		await saveAssignments(db, boardId, assignments);
		return { assigned: true };
	}
};
