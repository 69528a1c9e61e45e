/**
 * The heap of a board's document alone: its stored state applied to a new Y.Doc in an empty page
 * of the same browser, measured as the bench measures the pages (JSHeapUsedSize after a forced
 * GC), before and after. The board page holds this document whole (it edits it live), so this is
 * the floor under the board page's heap whatever the page itself does.
 */
import type { Browser } from '@playwright/test';

let yjsBundle: Promise<string> | null = null;

/** Yjs as one script that sets `window.Y`. */
function yjsScript(): Promise<string> {
	yjsBundle ??= import('esbuild').then(async ({ build }) => {
		const out = await build({
			stdin: { contents: "import * as Y from 'yjs'; window.Y = Y;", resolveDir: process.cwd() },
			bundle: true,
			format: 'iife',
			minify: true,
			write: false,
			platform: 'browser'
		});
		return out.outputFiles[0]!.text;
	});
	return yjsBundle;
}

export async function docHeap(browser: Browser, update: Uint8Array): Promise<number> {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		await page.setContent('<!doctype html><title>document</title>');
		await page.addScriptTag({ content: await yjsScript() });
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		const heap = async () => {
			await cdp.send('HeapProfiler.collectGarbage');
			const { metrics } = (await cdp.send('Performance.getMetrics')) as {
				metrics: { name: string; value: number }[];
			};
			return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
		};
		await page.evaluate((b64) => {
			const w = window as unknown as Record<string, unknown>;
			w.update = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		}, Buffer.from(update).toString('base64'));
		const before = await heap();
		await page.evaluate(() => {
			const w = window as unknown as {
				Y: typeof import('yjs');
				update: Uint8Array;
				doc?: unknown;
			};
			const doc = new w.Y.Doc();
			w.Y.applyUpdate(doc, w.update);
			w.doc = doc;
		});
		return (await heap()) - before;
	} finally {
		await context.close();
	}
}
