/**
 * Issue 3: a board with 10,000 addresses and 5,000 gesprekken, opened in Chromium against the real
 * built server: time until the board is interactive, and memory. Baseline in the same run: the demo
 * board (about 150 addresses, no gesprekken).
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from '@playwright/test';
import * as Y from 'yjs';
import { addGesprek } from '../src/lib/board/gesprekken';
import { ensureDefaultThemas, listThemas } from '../src/lib/board/themas';
import type { Address } from '../src/lib/geo/address';
import { createBoard, insertAddresses } from '../src/lib/server/boards';
import { openDb } from '../src/lib/server/db';
import { ensureDemoBoard } from '../src/lib/server/demo';
import { UpdateStore } from '../src/lib/server/sync/store';
import { SESSION_COOKIE } from '../src/lib/server/auth/sessions';
import { seedUsers } from '../tests/support/accounts';
import { startServer } from '../tests/support/server-process';
import { bundleTestServer } from './lib/servers';
import { median } from './lib/util';

export const BIG = { id: 'bench-10k', addresses: 10_000, gesprekken: 5_000 };

export interface BoardLoadRow {
	board: string;
	addresses: number;
	gesprekken: number;
	/** Navigation start until map drawn, document synced and the main thread free again. */
	interactiveMs: number[];
	/** JS heap in use once interactive (CDP Performance.getMetrics). */
	heapBytes: number[];
	/** Size of the board document sent to the browser. */
	stateBytes: number;
}

function bigAddresses(): Address[] {
	const list: Address[] = [];
	for (let i = 0; i < BIG.addresses; i++) {
		const street = Math.floor(i / 100);
		list.push({
			id: `b-${i}`,
			street: `Benchstraat ${street}`,
			houseNumber: (i % 100) + 1,
			houseLetter: null,
			addition: null,
			postcode: `65${String(street % 100).padStart(2, '0')}BB`,
			city: 'Nijmegen',
			lon: 5.85 + (i % 100) * 0.0003,
			lat: 51.82 + street * 0.0002,
			bagId: null,
			complexNumber: null
		});
	}
	return list;
}

/** The board document: default themes and 5,000 gesprekken at the first 5,000 addresses. */
function bigDocument(): Uint8Array {
	const doc = new Y.Doc();
	ensureDefaultThemas(doc);
	const themes = listThemas(doc).map((t) => t.id);
	for (let i = 0; i < BIG.gesprekken; i++) {
		addGesprek(doc, {
			addressId: `b-${i}`,
			date: `2026-0${(i % 9) + 1}-1${i % 10}`,
			round: 1 + (i % 2),
			heldBy: `Professional ${i % 12}`,
			outcome: i % 4 === 0 ? 'niet-thuis' : 'gesproken',
			themeIds: [themes[i % themes.length]!, themes[(i * 7) % themes.length]!],
			talents: i % 3 === 0 ? ['tuinieren'] : [],
			notes: `Gesprek ${i}: woont hier al jaren, kent de buren.`
		});
	}
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return state;
}

/** Seeds the boards and a member of both; returns the state size and the member's session token. */
async function seed(dataDir: string): Promise<{ stateBytes: number; token: string }> {
	const db = await openDb({ dataDir });
	try {
		await ensureDemoBoard(db);
		await createBoard(db, {
			id: BIG.id,
			name: 'Bench 10k',
			centerLon: 5.865,
			centerLat: 51.83,
			zoom: 14
		});
		await insertAddresses(db, BIG.id, bigAddresses());
		const state = bigDocument();
		await new UpdateStore(db).append(BIG.id, state);
		const [member] = Object.values(
			await seedUsers(db, {
				bench: { org: 'Woonwaarts', boards: { spoorbuurt: 'editor', [BIG.id]: 'editor' } }
			})
		);
		return { stateBytes: state.byteLength, token: member!.token };
	} finally {
		await db.close();
	}
}

async function measure(
	browser: Browser,
	url: string,
	token: string
): Promise<{ ms: number; heap: number }> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		locale: 'nl-NL'
	});
	// The origin, so the cookie has path / and also goes with the /sync socket.
	await context.addCookies([{ name: SESSION_COOKIE, value: token, url: new URL(url).origin }]);
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Performance.enable');
	try {
		await page.goto(url, { waitUntil: 'commit' });
		await page.waitForSelector('[data-testid="board-map"][data-loaded="true"]', {
			timeout: 60_000
		});
		await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', {
			timeout: 60_000
		});
		// Interactive: two animation frames in a row less than 50 ms apart (no long task between).
		// A string, not a function: tsx's helpers in a compiled function do not exist in the page.
		const ms = await page.evaluate<number>(`new Promise((resolve) => {
			let last = performance.now();
			const frame = (now) => {
				if (now - last < 50) resolve(now);
				else { last = now; requestAnimationFrame(frame); }
			};
			requestAnimationFrame((now) => { last = now; requestAnimationFrame(frame); });
		})`);
		const { metrics } = (await cdp.send('Performance.getMetrics')) as {
			metrics: { name: string; value: number }[];
		};
		const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
		return { ms, heap };
	} finally {
		await context.close();
	}
}

export async function benchBoardLoad(
	dataDir: string,
	runs: number,
	log: (m: string) => void
): Promise<{ rows: BoardLoadRow[]; note?: string }> {
	if (!existsSync(`${process.env.BUURTBORD_BUILD_DIR || 'build'}/handler.js`))
		return { rows: [], note: 'board load skipped: run `npm run build` first' };
	if (!existsSync('/usr/bin/chromium'))
		return { rows: [], note: 'board load skipped: /usr/bin/chromium missing' };
	log(`board load: seeding ${BIG.addresses} addresses and ${BIG.gesprekken} gesprekken`);
	const t0 = performance.now();
	const { stateBytes, token } = await seed(dataDir);
	log(`board load: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	await bundleTestServer();
	const server = await startServer({ dataDir, extra: { BUURTBORD_DEMO: 'true' } });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--use-angle=swiftshader',
			'--enable-unsafe-swiftshader',
			'--disable-quic',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run'
		],
		chromiumSandbox: false
	});
	try {
		const rows: BoardLoadRow[] = [];
		for (const [board, addresses, gesprekken, bytes] of [
			['spoorbuurt', 150, 0, 0],
			[BIG.id, BIG.addresses, BIG.gesprekken, stateBytes]
		] as const) {
			const row: BoardLoadRow = {
				board,
				addresses,
				gesprekken,
				interactiveMs: [],
				heapBytes: [],
				stateBytes: bytes
			};
			for (let i = 0; i < runs; i++) {
				log(`board load: ${board} run ${i + 1}/${runs}`);
				const { ms, heap } = await measure(browser, `${server.url}/boards/${board}`, token);
				row.interactiveMs.push(ms);
				row.heapBytes.push(heap);
			}
			rows.push(row);
		}
		return { rows };
	} finally {
		await browser.close();
		await server.stop('SIGTERM');
	}
}

export function boardLoadMedian(row: BoardLoadRow): { ms: number; heap: number } {
	return { ms: median(row.interactiveMs), heap: median(row.heapBytes) };
}
