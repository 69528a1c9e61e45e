import type { AddressField } from '$lib/geo/import';
import { m } from '$lib/paraglide/messages';

const LABELS: Record<AddressField, () => string> = {
	street: m.import_field_street,
	houseNumber: m.import_field_houseNumber,
	streetAndNumber: m.import_field_streetAndNumber,
	houseLetter: m.import_field_houseLetter,
	addition: m.import_field_addition,
	postcode: m.import_field_postcode,
	city: m.import_field_city,
	postcodeAndCity: m.import_field_postcodeAndCity,
	lat: m.import_field_lat,
	lon: m.import_field_lon,
	rdX: m.import_field_rdX,
	rdY: m.import_field_rdY,
	bagId: m.import_field_bagId,
	complexNumber: m.import_field_complexNumber,
	unitNumber: m.import_field_unitNumber
};

/** The address field's name in the current language. */
export function fieldLabel(field: AddressField): string {
	return LABELS[field]();
}
