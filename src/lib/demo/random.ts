/** A small seeded random generator (mulberry32): the same seed gives the same sequence everywhere. */
export class Random {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0 || 1;
	}

	/** A number in [0, 1). */
	next(): number {
		let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)]!;
	}

	/** One key, chosen with the given weights. */
	weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
		const entries = Object.entries(weights) as [K, number][];
		const sum = entries.reduce((s, [, w]) => s + w, 0);
		let r = this.next() * sum;
		for (const [key, w] of entries) {
			r -= w;
			if (r < 0) return key;
		}
		return entries[entries.length - 1]![0];
	}

	/** `n` distinct keys, chosen with the given weights. */
	weightedDistinct<K extends string>(weights: Readonly<Record<K, number>>, n: number): K[] {
		const left = { ...weights };
		const out: K[] = [];
		while (out.length < n && Object.keys(left).length > 0) {
			const k = this.weighted(left);
			out.push(k);
			delete left[k];
		}
		return out;
	}

	/** A date (yyyy-mm-dd) between two dates, inclusive. */
	date(from: string, to: string): string {
		const a = Date.parse(`${from}T00:00:00Z`);
		const b = Date.parse(`${to}T00:00:00Z`);
		const day = this.int(0, Math.round((b - a) / 86_400_000));
		return new Date(a + day * 86_400_000).toISOString().slice(0, 10);
	}
}
