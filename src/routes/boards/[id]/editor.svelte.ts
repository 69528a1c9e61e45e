import type { Place } from '$lib/board';
import type { BoardContent } from '$lib/board/content.svelte';
import type { Address } from '$lib/geo/address';
import { initiatiefPosition } from '$lib/map/content-features';

/** What the editing panel beside the map shows. */
export type Panel =
	| { kind: 'address'; addressId: string; editing: string | null }
	| { kind: 'initiatief'; id: string | null; place: Place | null }
	| { kind: 'notitie'; id: string | null; point: { lon: number; lat: number } | null }
	| { kind: 'themas' }
	| { kind: 'deleted' }
	| null;

/**
 * The board page's editing state: the open panel (which is also the selection the map and the
 * list show), the place-on-map mode and where the map should fly to.
 */
export class BoardEditor {
	panel = $state.raw<Panel>(null);
	/** The place-on-map mode: a new initiatief or notitie, or moving a free-point initiatief. */
	placing = $state<'initiatief' | 'notitie' | 'move' | null>(null);
	/** The initiatief being moved (`placing` 'move'). */
	#moving: string | null = null;
	/**
	 * The map's centre, once the page has a map: placing "at the cross" is the way to place and
	 * move without a pointer (the map pans with the arrow keys).
	 */
	mapCenter: () => { lon: number; lat: number } | null = () => null;
	flyTarget = $state.raw<{ lon: number; lat: number } | null>(null);
	/**
	 * Whether the address panel takes the focus when it opens: yes when this person opened it,
	 * no when it follows what someone else opened (PresenceLayer), so a follower typing in the
	 * address search or reading elsewhere on the page keeps their place.
	 */
	#takesFocus = true;
	readonly content: BoardContent;
	readonly #addressById: () => ReadonlyMap<string, Address>;

	constructor(content: BoardContent, addressById: () => ReadonlyMap<string, Address>) {
		this.content = content;
		this.#addressById = addressById;
	}

	get selectedAddressId(): string | null {
		return this.panel?.kind === 'address' ? this.panel.addressId : null;
	}
	get selectedAddress(): Address | null {
		const id = this.selectedAddressId;
		return id ? (this.#addressById().get(id) ?? null) : null;
	}
	get selectedGesprekId(): string | null {
		const p = this.panel;
		return p?.kind === 'address' && p.editing && p.editing !== 'new' ? p.editing : null;
	}
	get selectedInitiatiefId(): string | null {
		return this.panel?.kind === 'initiatief' ? this.panel.id : null;
	}
	get selectedNotitieId(): string | null {
		return this.panel?.kind === 'notitie' ? this.panel.id : null;
	}

	openAddress(
		address: Address,
		{ fly = false, editing = null as string | null, focus = true } = {}
	): void {
		this.#takesFocus = focus;
		this.placing = null;
		this.panel = { kind: 'address', addressId: address.id, editing };
		if (fly) this.flyTarget = { lon: address.lon, lat: address.lat };
	}

	/** Whether the address panel just opened should take the focus (see `openAddress`). */
	get takesFocus(): boolean {
		return this.#takesFocus;
	}

	editGesprek(editing: string | null): void {
		const p = this.panel;
		if (p?.kind === 'address') this.panel = { ...p, editing };
	}

	openInitiatief(id: string, { fly = false } = {}): void {
		this.placing = null;
		this.panel = { kind: 'initiatief', id, place: null };
		const i = this.content.initiatieven.get(id);
		const at = i ? initiatiefPosition(i, this.#addressById()) : null;
		if (fly && at) this.flyTarget = { lon: at[0], lat: at[1] };
	}

	newInitiatiefAt(address: Address): void {
		this.placing = null;
		this.panel = { kind: 'initiatief', id: null, place: { addressId: address.id } };
	}

	/** A new notitie at an address's point (the address panel's action, where a pin used to go). */
	newNotitieAt(address: Address): void {
		this.placing = null;
		this.panel = { kind: 'notitie', id: null, point: { lon: address.lon, lat: address.lat } };
	}

	openNotitie(id: string): void {
		this.placing = null;
		this.panel = { kind: 'notitie', id, point: null };
	}

	openThemas(): void {
		this.placing = null;
		this.panel = { kind: 'themas' };
	}

	/** Recently deleted initiatieven and notities, to restore (DeletedPanel.svelte). */
	openDeleted(): void {
		this.placing = null;
		this.panel = { kind: 'deleted' };
	}

	/** Moving a free-point initiatief: a click on the map (or the cross) puts it there. */
	startMove(id: string): void {
		this.#moving = id;
		this.placing = 'move';
	}

	/** The click that ends the place-on-map mode. */
	place(lon: number, lat: number): void {
		const mode = this.placing;
		this.placing = null;
		if (mode === 'move') {
			const id = this.#moving;
			this.#moving = null;
			if (id && this.content.initiatieven.get(id)) {
				this.move(id, lon, lat);
				this.panel = { kind: 'initiatief', id, place: null };
			}
		} else if (mode === 'initiatief')
			this.panel = { kind: 'initiatief', id: null, place: { lon, lat } };
		else if (mode === 'notitie') this.panel = { kind: 'notitie', id: null, point: { lon, lat } };
	}

	/** Places at the map's centre (the cross): the keyboard's click. False without a map. */
	placeAtCenter(): boolean {
		const center = this.mapCenter();
		if (!center || !this.placing) return false;
		this.place(center.lon, center.lat);
		return true;
	}

	/** A free-point initiatief dragged on the map. */
	move(id: string, lon: number, lat: number): void {
		this.content.initiatieven.patch(id, { place: { lon, lat } });
	}

	close(): void {
		this.panel = null;
	}
}
