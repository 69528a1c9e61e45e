import type { ConnectionStatus } from '$lib/collab/connection.svelte';
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

export function statusLabel(status: ConnectionStatus): string {
	switch (status) {
		case 'connecting':
			return m.status_connecting();
		case 'connected':
			return m.status_connected();
		case 'reconnecting':
			return m.status_reconnecting();
		case 'offline':
			return m.status_offline();
	}
}
