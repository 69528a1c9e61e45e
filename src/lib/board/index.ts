export { BoardDocument } from './board.svelte';
export {
	BoardInputError,
	PIN_KINDS,
	PIN_TITLE_MAX,
	addPin,
	getPin,
	listPins,
	observePins,
	removePin,
	updatePin,
	type NewPin,
	type Pin,
	type PinKind,
	type PinPatch
} from './pins';
