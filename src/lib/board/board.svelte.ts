import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import {
	addPin,
	getPin,
	listPins,
	observePins,
	removePin,
	updatePin,
	type NewPin,
	type Pin,
	type PinPatch
} from './pins';

/**
 * A board's document as Svelte state. Reading `pins` inside an effect or template subscribes
 * to the Y.Doc (through createSubscriber, so there is no copying in effects); local and remote
 * changes both re-render. Components use this class and never touch Y types.
 */
export class BoardDocument {
	/** The Y.Doc for the sync provider; not for components. */
	readonly doc: Y.Doc;
	readonly #subscribe: () => void;
	#pins: Pin[] | null = null;
	readonly #stopCache: () => void;

	constructor(doc: Y.Doc = new Y.Doc()) {
		this.doc = doc;
		// The cache is dropped on every change, also while nothing is subscribed.
		this.#stopCache = observePins(doc, () => (this.#pins = null));
		this.#subscribe = createSubscriber((update) => observePins(doc, update));
	}

	/** All pins, oldest first. */
	get pins(): Pin[] {
		this.#subscribe();
		this.#pins ??= listPins(this.doc);
		return this.#pins;
	}

	pin(id: string): Pin | null {
		this.#subscribe();
		return getPin(this.doc, id);
	}

	addPin(input: NewPin): Pin {
		return addPin(this.doc, input);
	}

	updatePin(id: string, patch: PinPatch): Pin {
		return updatePin(this.doc, id, patch);
	}

	removePin(id: string): boolean {
		return removePin(this.doc, id);
	}

	destroy(): void {
		this.#stopCache();
		this.doc.destroy();
	}
}
