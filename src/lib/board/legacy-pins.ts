import * as Y from 'yjs';
import { addInitiatief, initiatievenMap } from './initiatieven';
import { TOP_LEVEL } from './layout';
import { addNotitie } from './notities';
import { listPins, type Pin } from './pins';

/**
 * Retiring the legacy "pins" (issue 10): what a pin was for is now done by initiatieven and
 * notities, so every stored pin becomes one of them and nothing a user made is lost.
 *
 * - a pin of kind `initiatief` becomes an initiatief (status `idee`) with the pin's title, at the
 *   pin's address (or at its point when it had none);
 * - a pin of kind `gesprek` or `notitie` becomes a notitie at the pin's point, its text the title
 *   (a gesprek pin's text starts with "Gesprek: ": a pin never held the outcome or date a real
 *   gesprek needs, so it is kept as the note it was);
 * - the new item keeps the pin's `createdAt`; the pin is then deleted.
 *
 * Idempotent and safe when two clients (or server processes) run it at once: the new item's id
 * is derived from the pin's (`pin-<id>`), so both write the same key with the same content, and a
 * pin whose item already exists is only deleted. Pins that cannot be read (e.g. written by a newer
 * client) are left as they are.
 */
export const LEGACY_PIN_PREFIX = 'pin-';
/** Not the local origin: the undo manager must not offer to undo the upgrade. */
export const RETIRE_PINS_ORIGIN = Symbol('retire-legacy-pins');

export interface RetiredPins {
	initiatieven: number;
	notities: number;
	/** Pins whose item existed already (another client migrated them): only deleted here. */
	alreadyDone: number;
}

export function retiredId(pin: Pick<Pin, 'id'>): string {
	return `${LEGACY_PIN_PREFIX}${pin.id}`;
}

export function retireLegacyPins(doc: Y.Doc): RetiredPins {
	const result: RetiredPins = { initiatieven: 0, notities: 0, alreadyDone: 0 };
	const pins = listPins(doc);
	if (pins.length === 0) return result;
	const notities = doc.getMap<Y.Map<unknown>>(TOP_LEVEL.notities);
	const initiatieven = initiatievenMap(doc);
	doc.transact(() => {
		for (const pin of pins) {
			const id = retiredId(pin);
			if (notities.has(id) || initiatieven.has(id)) {
				result.alreadyDone++;
			} else if (pin.kind === 'initiatief') {
				addInitiatief(
					doc,
					{
						title: pin.title.trim() || '…',
						place: pin.addressId ? { addressId: pin.addressId } : { lon: pin.lon, lat: pin.lat },
						addressIds: pin.addressId ? [pin.addressId] : []
					},
					{ id }
				);
				initiatieven.get(id)?.set('createdAt', pin.createdAt);
				result.initiatieven++;
			} else {
				const text = pin.title.trim() || '…';
				addNotitie(
					doc,
					{ text: pin.kind === 'gesprek' ? `Gesprek: ${text}` : text, lon: pin.lon, lat: pin.lat },
					{ id }
				);
				notities.get(id)?.set('createdAt', pin.createdAt);
				result.notities++;
			}
			doc.getMap(TOP_LEVEL.pins).delete(pin.id);
		}
	}, RETIRE_PINS_ORIGIN);
	return result;
}
