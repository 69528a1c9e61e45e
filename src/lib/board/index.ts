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
export * from './layout';
export * from './labels';
export { localOrigin } from './common';
export * from './themas';
export * from './gesprekken';
export * from './initiatieven';
export * from './notities';
export { createUndoManager } from './undo';
