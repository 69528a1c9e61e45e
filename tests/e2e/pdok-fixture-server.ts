/**
 * The PDOK stand-in as a process of its own, for the shared webServer of playwright.config.ts:
 * its search box then asks this instead of the real Locatieserver, which answers nothing.
 */
import { startPdokFixture } from './pdok-fixture';

const port = Number(process.env.PDOK_FIXTURE_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('PDOK_FIXTURE_PORT is not set');
await startPdokFixture(port, { recorded: false });
console.log(`[pdok-fixture] listening on ${port}`);
