/**
 * The board's address register in the browser: fetched from its own endpoint
 * (`/boards/<id>/adressen.json`, see src/lib/geo/register.ts) in parallel with the map's style,
 * instead of arriving in the page data. Offline, the service worker answers with the copy it
 * keeps with the board's pages (src/service-worker.ts). One copy: the decoded addresses, shared
 * by map, lists, search and analysis (the wire format is dropped once decoded).
 */
import type { Address } from './address';
import { decodeRegister, type CompactRegister } from './register';

export const registerUrl = (boardId: string) => `/boards/${boardId}/adressen.json`;

export type RegisterStatus = 'loading' | 'ready' | 'failed';

export class AddressRegister {
	/** Empty until loaded (then replaced once, never mutated). */
	addresses = $state.raw<Address[]>([]);
	status = $state<RegisterStatus>('loading');
	readonly #boardId: () => string;

	constructor(boardId: () => string) {
		this.#boardId = boardId;
	}

	/** Loads (or reloads) the register; a failure leaves the last one and status 'failed'. */
	async load(fetcher: typeof fetch = fetch): Promise<void> {
		try {
			const response = await fetcher(registerUrl(this.#boardId()), { credentials: 'same-origin' });
			if (!response.ok) throw new Error(`register: HTTP ${response.status}`);
			this.addresses = decodeRegister((await response.json()) as CompactRegister);
			this.status = 'ready';
		} catch {
			this.status = 'failed';
		}
	}
}
