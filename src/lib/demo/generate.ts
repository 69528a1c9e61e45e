/**
 * The demo board's story, generated: households in the Spoorbuurt streets, sociale gesprekken at
 * most doors over two rounds (before and after the works) with their outcomes, themes that differ
 * by street, talents, wishes and worries, initiatives in different states and a few notes of the
 * kerngroep. Deterministic: the same seed and size give the same addresses and the same document
 * bytes (fixed ids, dates, timestamps and Yjs client id), so it doubles as benchmark data at
 * 5,000 to 50,000 addresses. Everything is invented.
 *
 * It writes the document's Y structures directly, following the layout (src/lib/board/layout.ts)
 * that the sync server validates against (a unit test checks the result passes), because the
 * commands stamp the current time and random ids and validate each call, too slow at 50,000.
 */
import * as Y from 'yjs';
import type { StreetAssignment } from '../board/analysis/coverage';
import { DEFAULT_THEMAS } from '../board/themas';
import type { InitiatiefStatus, Outcome, Place } from '../board/layout';
import type { Address } from '../geo/address';
import { Random } from './random';
import { demoStreets, slug, streetAddresses, type DemoStreet, type ThemeWeights } from './streets';

export interface DemoOptions {
	/** Default 2026. */
	seed?: number;
	/** How many addresses; default the Spoorbuurt's ~150. */
	addresses?: number;
	/**
	 * Share of doors visited in round 1 (default 0.93). Benchmarks use 0.5 with `rounds: 1` for
	 * one gesprek per two addresses.
	 */
	visitRate?: number;
	/** 1: only the first round, no second attempts; default 2. */
	rounds?: 1 | 2;
}

export type { StreetAssignment };

export interface DemoContent {
	addresses: Address[];
	doc: Y.Doc;
	assignments: StreetAssignment[];
}

/** The kerngroep's professionals (invented). */
export const DEMO_PROFESSIONALS = [
	'Anouk de Vries',
	'Joost Hermsen',
	'Samira El Amrani',
	'Peter Jansen'
] as const;

export const ROUND_PERIODS = {
	1: ['2025-02-03', '2025-06-27'],
	2: ['2026-03-02', '2026-10-30']
} as const;

const BASELINE = 0.25;
const WISHES = [
	'meer bankjes in de straat',
	'een plek om buren te ontmoeten',
	'betere verlichting',
	'speeltuin opknappen',
	'samen de voortuinen aanpakken',
	'hulp bij de tuin',
	'een buurtfeest',
	'minder geparkeerde bussen'
];
const WORRIES = [
	'lawaai tijdens de werkzaamheden',
	'buurvrouw komt weinig buiten',
	'huur na de renovatie',
	'vocht in de slaapkamer',
	'jongeren op het pleintje',
	'trap wordt lastig',
	'weinig contact met nieuwe buren'
];
const NOTES = [
	'Woont hier al lang, kent veel buren bij naam.',
	'Wil graag meedenken over de straat.',
	'Maakt zich zorgen over de overlast tijdens de bouw.',
	'Zou een keer willen koken voor de buurt.',
	'Voelt zich soms alleen sinds de kinderen het huis uit zijn.',
	'Heeft een prachtige voortuin, wil anderen helpen.',
	'Kort gesprek, wil later verder praten.'
];
const FOLLOW_UPS = [
	'terugbellen over de tuin',
	'in contact brengen met de koffieochtend',
	'woonconsulent vragen naar vocht',
	'uitnodigen voor de kerngroep'
];

function themeWeights(weights: ThemeWeights): Record<string, number> {
	const out: Record<string, number> = {};
	for (const t of DEFAULT_THEMAS) out[t.id] = (weights[t.id] ?? 0) + BASELINE;
	return out;
}

function stringArray(values: readonly string[]): Y.Array<string> {
	const a = new Y.Array<string>();
	a.push([...values]);
	return a;
}

interface GesprekData {
	addressId: string;
	date: string;
	round: number;
	heldBy: string;
	outcome: Outcome;
	themeIds: string[];
	talents: string[];
	wishes: string[];
	worries: string[];
	followUps: { what: string; who: string }[];
	notes: string;
}

function writeGesprek(map: Y.Map<Y.Map<unknown>>, id: string, g: GesprekData, time: string) {
	const fields = new Y.Map<unknown>();
	fields.set('addressId', g.addressId);
	fields.set('date', g.date);
	fields.set('round', g.round);
	fields.set('heldBy', g.heldBy);
	fields.set('outcome', g.outcome);
	fields.set('themeIds', stringArray(g.themeIds));
	fields.set('talents', stringArray(g.talents));
	fields.set('wishes', stringArray(g.wishes));
	fields.set('worries', stringArray(g.worries));
	const followUps = new Y.Array<Y.Map<unknown>>();
	followUps.push(
		g.followUps.map((f, i) => {
			const m = new Y.Map<unknown>();
			m.set('id', `${id}-f${i + 1}`);
			m.set('what', f.what);
			m.set('who', f.who);
			m.set('due', null);
			m.set('status', 'open');
			return m;
		})
	);
	fields.set('followUps', followUps);
	const consent = new Y.Map<unknown>();
	const spoken = g.outcome === 'gesproken';
	consent.set('recordedBy', spoken ? g.heldBy : null);
	consent.set('date', spoken ? g.date : null);
	consent.set('withdrawn', false);
	fields.set('consent', consent);
	fields.set('notes', new Y.Text(g.notes));
	fields.set('createdAt', time);
	map.set(id, fields);
}

function laterDate(random: Random, date: string, max: string): string {
	const d = Date.parse(`${date}T00:00:00Z`) + random.int(5, 30) * 86_400_000;
	const limit = Date.parse(`${max}T00:00:00Z`);
	return new Date(Math.min(d, limit)).toISOString().slice(0, 10);
}

function timestamp(random: Random, date: string): string {
	const h = String(random.int(9, 19)).padStart(2, '0');
	const m = String(random.int(0, 59)).padStart(2, '0');
	const s = String(random.int(0, 59)).padStart(2, '0');
	return `${date}T${h}:${m}:${s}.000Z`;
}

/** Generates the demo board: addresses, the document and who walks which street. */
export function generateDemo(options: DemoOptions = {}): DemoContent {
	const seed = options.seed ?? 2026;
	const random = new Random(seed);
	const streets = demoStreets(options.addresses ?? 0, random);
	const visitRate = options.visitRate ?? 0.93;
	const rounds = options.rounds ?? 2;
	const addresses: Address[] = [];
	const assignments: StreetAssignment[] = [];
	const byStreet = new Map<string, { street: DemoStreet; list: Address[] }>();
	streets.forEach((street, i) => {
		const list = streetAddresses(street, i < 9 ? 'SPB-01' : `SPB-${String(2 + (i % 40))}`);
		addresses.push(...list);
		byStreet.set(street.name, { street, list });
		assignments.push({ street: street.name, assignee: DEMO_PROFESSIONALS[i % 3]! });
	});
	if (options.addresses !== undefined && addresses.length > options.addresses) {
		addresses.length = options.addresses;
	}
	// The corporation's unit numbers (VHE), as its export would have them.
	addresses.forEach((a, i) => (a.unitNumber = String(1_040_001 + i)));

	const doc = new Y.Doc();
	doc.clientID = 100_000 + (seed % 1_000_000);
	let seq = 0;
	doc.transact(() => {
		const themas = doc.getMap<Y.Map<unknown>>('themas');
		for (const t of DEFAULT_THEMAS) {
			const m = new Y.Map<unknown>();
			m.set('name', t.name);
			m.set('colour', t.colour);
			m.set('description', '');
			m.set('archived', false);
			m.set('mergedInto', null);
			m.set('createdAt', new Date(0).toISOString());
			themas.set(t.id, m);
		}
		const gesprekken = doc.getMap<Y.Map<unknown>>('gesprekken');
		const assigneeOf = new Map(assignments.map((a) => [a.street, a.assignee]));
		const inRange = new Set(addresses.map((a) => a.id));
		for (const { street, list } of byStreet.values()) {
			const owner = assigneeOf.get(street.name)!;
			for (const round of rounds === 2 ? [1, 2] : [1]) {
				const [from, to] = ROUND_PERIODS[round as 1 | 2];
				const weights = themeWeights(round === 1 ? street.themes : street.themesAfter);
				for (const address of list) {
					if (!inRange.has(address.id)) continue;
					const rate = round === 1 ? visitRate : 0.62;
					if (!random.chance(rate)) continue;
					const heldBy = random.chance(0.8) ? owner : random.pick(DEMO_PROFESSIONALS);
					let date = random.date(from, to);
					let outcome = random.weighted<Outcome>({
						gesproken: 62,
						'niet-thuis': 20,
						later: 6,
						geweigerd: 12
					});
					const attempts: [string, Outcome][] = [[date, outcome]];
					if (rounds === 2 && (outcome === 'niet-thuis' || outcome === 'later')) {
						if (random.chance(0.6)) {
							date = laterDate(random, date, to);
							outcome = random.weighted<Outcome>({
								gesproken: 70,
								'niet-thuis': 20,
								geweigerd: 10
							});
							attempts.push([date, outcome]);
						}
					}
					for (const [when, result] of attempts) {
						const spoken = result === 'gesproken';
						const data: GesprekData = {
							addressId: address.id,
							date: when,
							round,
							heldBy,
							outcome: result,
							themeIds: spoken ? random.weightedDistinct(weights, random.int(1, 3)) : [],
							talents:
								spoken && random.chance(0.35)
									? random.weightedDistinct(
											{ ...street.talents, koken: (street.talents.koken ?? 0) + 0.5 } as Record<
												string,
												number
											>,
											random.int(1, 2)
										)
									: [],
							wishes: spoken && random.chance(0.5) ? [random.pick(WISHES)] : [],
							worries: spoken && random.chance(0.4) ? [random.pick(WORRIES)] : [],
							followUps:
								spoken && random.chance(0.15)
									? [{ what: random.pick(FOLLOW_UPS), who: heldBy }]
									: [],
							notes: spoken && random.chance(0.6) ? random.pick(NOTES) : ''
						};
						seq++;
						writeGesprek(gesprekken, `g-${seed}-${seq}`, data, timestamp(random, when));
					}
				}
			}
		}
		writeInitiatieven(doc, byStreet, random);
		writeNotities(doc);
	});
	return { addresses, doc, assignments };
}

function midpoint(street: DemoStreet, t = 0.5): { lon: number; lat: number } {
	return {
		lon: Math.round((street.from[0] + (street.to[0] - street.from[0]) * t) * 1e6) / 1e6,
		lat: Math.round((street.from[1] + (street.to[1] - street.from[1]) * t) * 1e6) / 1e6
	};
}

interface InitiatiefData {
	id: string;
	title: string;
	description: string;
	place: Place;
	status: InitiatiefStatus;
	themeIds: string[];
	addressIds: string[];
	startDate: string | null;
	publicContact: string;
	internal: boolean;
}

function writeInitiatieven(
	doc: Y.Doc,
	byStreet: Map<string, { street: DemoStreet; list: Address[] }>,
	random: Random
): void {
	const map = doc.getMap<Y.Map<unknown>>('initiatieven');
	const get = (name: string) => byStreet.get(name)!;
	const valerius = get('Valeriusstraat');
	const sweelinck = get('Sweelinckstraat');
	const richard = get('Richard Holstraat');
	const dunkler = get('Dunklerstraat');
	const obrecht = get('Obrechtstraat');
	const list: InitiatiefData[] = [
		{
			id: 'i-voortuinen',
			title: 'Voortuinen als ontmoetingsplek',
			description:
				'Bewoners met groene vingers knappen samen de voortuinen op; de tuinen zijn een plek geworden om even bij elkaar te zitten.',
			place: midpoint(valerius.street, 0.4),
			status: 'loopt',
			themeIds: ['groen', 'ontmoeting', 'contact-met-buren'],
			addressIds: valerius.list.slice(2, 9).map((a) => a.id),
			startDate: '2025-09-06',
			publicContact: 'Anouk (opbouwwerk)',
			internal: false
		},
		{
			id: 'i-koffieochtend',
			title: 'Koffieochtend in de Sweelinckstraat',
			description: 'Elke dinsdagochtend koffie bij een bewoner thuis; iedereen is welkom.',
			place: { addressId: sweelinck.list[6]!.id },
			status: 'loopt',
			themeIds: ['eenzaamheid', 'ontmoeting', 'vergrijzing'],
			addressIds: [sweelinck.list[6]!.id],
			startDate: '2025-10-07',
			publicContact: 'Samira (welzijn)',
			internal: false
		},
		{
			id: 'i-moestuin',
			title: 'Buurtmoestuin',
			description: 'Een moestuin op het braakliggende stuk achter de Richard Holstraat.',
			place: { lon: midpoint(richard.street).lon, lat: midpoint(richard.street).lat + 0.0004 },
			status: 'in-voorbereiding',
			themeIds: ['groen', 'participatie'],
			addressIds: [],
			startDate: null,
			publicContact: '',
			internal: false
		},
		{
			id: 'i-opruimdag',
			title: 'Opruimdag na de renovatie',
			description: 'Samen met de aannemer de straat opgeruimd en afgesloten met soep.',
			place: midpoint(dunkler.street, 0.6),
			status: 'afgerond',
			themeIds: ['overlast', 'contact-met-buren'],
			addressIds: [],
			startDate: '2026-04-18',
			publicContact: '',
			internal: false
		},
		{
			id: 'i-taalmaatjes',
			title: 'Taalmaatjes',
			description: 'Bewoners die anderen helpen met Nederlands en formulieren.',
			place: { addressId: obrecht.list[3]!.id },
			status: 'idee',
			themeIds: ['participatie', 'contact-met-buren'],
			addressIds: [],
			startDate: null,
			publicContact: '',
			internal: true
		}
	];
	list.forEach((i, n) => {
		const m = new Y.Map<unknown>();
		m.set('title', i.title);
		m.set('description', new Y.Text(i.description));
		m.set('place', i.place);
		m.set('status', i.status);
		m.set('themeIds', stringArray(i.themeIds));
		m.set('addressIds', stringArray(i.addressIds));
		m.set('startDate', i.startDate);
		m.set('publicContact', i.publicContact);
		m.set('internal', i.internal);
		m.set('createdAt', `2025-0${7 + (n % 3)}-0${1 + n}T10:00:00.000Z`);
		map.set(i.id, m);
	});
	// Larger (benchmark) boards: one more initiatief per 500 addresses, in the generated streets.
	let k = 0;
	for (const { street, list: homes } of byStreet.values()) {
		if (!street.name.includes('laan') || homes.length === 0 || k++ % 12 !== 0) continue;
		const m = new Y.Map<unknown>();
		m.set('title', `Buurtinitiatief ${street.name}`);
		m.set('description', new Y.Text());
		m.set('place', midpoint(street, random.next()));
		m.set('status', random.pick(['idee', 'loopt', 'afgerond'] as const));
		m.set('themeIds', stringArray([random.pick(DEFAULT_THEMAS).id]));
		m.set('addressIds', stringArray([]));
		m.set('startDate', null);
		m.set('publicContact', '');
		m.set('internal', false);
		m.set('createdAt', '2025-11-01T10:00:00.000Z');
		map.set(`i-${slug(street.name)}`, m);
	}
}

function writeNotities(doc: Y.Doc): void {
	const map = doc.getMap<Y.Map<unknown>>('notities');
	const notes: [string, string, number, number][] = [
		[
			'n-kerngroep-1',
			'Kerngroep 12 juni: in de Sweelinckstraat komt eenzaamheid steeds terug. Idee: koffieochtend.',
			5.8688,
			51.8318
		],
		[
			'n-kerngroep-2',
			'Valeriusstraat: veel groene vingers. Voortuinen als begin?',
			5.8772,
			51.8309
		],
		[
			'n-kerngroep-3',
			'Tweede ronde: overlast Dunklerstraat duidelijk minder na de renovatie.',
			5.8702,
			51.8302
		]
	];
	notes.forEach(([id, text, lon, lat], n) => {
		const m = new Y.Map<unknown>();
		m.set('text', text);
		m.set('lon', lon);
		m.set('lat', lat);
		m.set('createdAt', `2025-0${6 + n}-12T20:00:00.000Z`);
		map.set(id, m);
	});
}
