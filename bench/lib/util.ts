/** Small helpers shared by the benchmark parts: statistics, timeouts, formatting. */

export interface Summary {
	n: number;
	min: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const sum = sorted.reduce((a, b) => a + b, 0);
	return {
		n: sorted.length,
		min: sorted[0] ?? NaN,
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		p99: percentile(sorted, 99),
		max: sorted[sorted.length - 1] ?? NaN,
		mean: sorted.length ? sum / sorted.length : NaN
	};
}

export function median(samples: number[]): number {
	const sorted = [...samples].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` (the timer does not keep the process alive). */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
		timer.unref();
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function ms(x: number, digits = 2): string {
	return Number.isFinite(x) ? `${x.toFixed(digits)} ms` : '-';
}

export function bytes(x: number): string {
	if (!Number.isFinite(x)) return '-';
	if (x >= 1024 * 1024) return `${(x / 1024 / 1024).toFixed(2)} MiB`;
	if (x >= 1024) return `${(x / 1024).toFixed(1)} KiB`;
	return `${x} B`;
}

export function verdict(value: number, target: number): string {
	if (!Number.isFinite(value)) return 'n/a';
	return value <= target ? 'PASS' : 'FAIL';
}

/** A plain-text table with right-aligned cells (left-aligned first column). */
export function table(headers: string[], rows: (string | number)[][]): string {
	const cells = [headers, ...rows.map((r) => r.map(String))];
	const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) =>
		r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
	return [
		line(cells[0]!),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...cells.slice(1).map(line)
	].join('\n');
}
