import type { PinKind } from '$lib/board/pins';
import { m } from '$lib/paraglide/messages';

export function kindLabel(kind: PinKind): string {
	switch (kind) {
		case 'gesprek':
			return m.kind_gesprek();
		case 'initiatief':
			return m.kind_initiatief();
		case 'notitie':
			return m.kind_notitie();
	}
}
