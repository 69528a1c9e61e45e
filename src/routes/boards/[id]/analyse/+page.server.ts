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
	summariseAddresses,
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
		const gesprekken = listGesprekken(doc);
		const themas = listThemas(doc).map((t) => ({ id: t.id, name: t.name, colour: t.colour }));
		const summaries = summariseAddresses(addresses, gesprekken);
		const streets = streetCoverage(addresses, summaries);
		// The print view: the whole board or one street (?street=), as an SVG map and its table.
		const wanted = event.url.searchParams.get('street') ?? '';
		const printStreet = streets.some((st) => st.street === wanted) ? wanted : '';
		const printed = printStreet ? addresses.filter((a) => a.street === printStreet) : addresses;
		const print = {
			street: printStreet,
			map: printMap(printed, summaries),
			counts: stateCounts(printed.map((a) => summaries.get(a.id)!))
		};
		const assignments = await listAssignments(db, boardId);
		const themeCounts = householdsPerTheme(summaries.values());
		const outcomes = OUTCOMES.map(
			(o) => [o, gesprekken.filter((g) => g.outcome === o).length] as const
		);
		// Doors first spoken per month.
		const firstSpoken = new Map<string, string>();
		for (const g of gesprekken) {
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
			? findTalents(addresses, gesprekken, {
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
			rounds: compareRounds(addresses, gesprekken),
			talentOptions: professional ? talentCounts(gesprekken) : [],
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
