/**
 * Ports of the end-to-end run. The shared server listens on E2E_PORT (playwright.config.ts) and the
 * PDOK fixture on E2E_PORT + 6; servers a spec starts itself take E2E_PORT + an offset of its own,
 * moved by 20 for each parallel worker slot, so that two specs with servers of their own can run at
 * the same time (see the projects in playwright.config.ts).
 */
export const sharedPort = Number(process.env.E2E_PORT ?? 4391);

/** How far apart the port ranges of two worker slots are. */
const SLOT_WIDTH = 20;

/** A port for a spec's own server (offsets 1–5 and 7–19; 6 is the PDOK fixture's). */
export function ownPort(offset: number): number {
	if (offset < 1 || offset >= SLOT_WIDTH || offset === 6) {
		throw new Error(`own-server port offset ${offset}: use 1–5 or 7–${SLOT_WIDTH - 1}`);
	}
	// Playwright numbers the worker slots 0, 1, … (stable when a worker is replaced after a failure).
	const slot = Number(process.env.TEST_PARALLEL_INDEX ?? 0);
	return sharedPort + SLOT_WIDTH * slot + offset;
}
