import type { HistoryEntry } from '$lib/board/restore';
import { m } from '$lib/paraglide/messages';

const FIELD_LABELS: Record<string, () => string> = {
	heldBy: m.itemhistory_field_heldBy,
	date: m.itemhistory_field_date,
	round: m.itemhistory_field_round,
	outcome: m.itemhistory_field_outcome,
	themeIds: m.itemhistory_field_themeIds,
	talents: m.itemhistory_field_talents,
	wishes: m.itemhistory_field_wishes,
	worries: m.itemhistory_field_worries,
	followUps: m.itemhistory_field_followUps,
	consent: m.itemhistory_field_consent,
	notes: m.itemhistory_field_notes,
	confidential: m.itemhistory_field_confidential,
	title: m.itemhistory_field_title,
	description: m.itemhistory_field_description,
	status: m.itemhistory_field_status,
	place: m.itemhistory_field_place,
	startDate: m.itemhistory_field_startDate,
	publicContact: m.itemhistory_field_publicContact,
	internal: m.itemhistory_field_internal,
	addressIds: m.itemhistory_field_addressIds,
	text: m.itemhistory_field_text,
	name: m.itemhistory_field_name,
	colour: m.itemhistory_field_colour,
	archived: m.itemhistory_field_archived,
	mergedInto: m.itemhistory_field_mergedInto
};

/** A field's label: 'consent.withdrawn' reads as "Toestemming · withdrawn". */
export function fieldLabel(field: string | null): string {
	if (!field) return '';
	const [head, ...rest] = field.split('.');
	const label = FIELD_LABELS[head!]?.() ?? head!;
	return rest.length ? `${label} · ${rest.join('.')}` : label;
}

/** A stored value as a person reads it. */
export function valueText(
	value: unknown,
	themaName: (id: string) => string,
	field?: string | null
): string {
	if (value === null || value === undefined || value === '') return m.itemhistory_empty_value();
	if (value === true) return m.itemhistory_yes();
	if (value === false) return m.itemhistory_no();
	if (typeof value === 'string')
		return field === 'themeIds' || field === 'mergedInto' ? themaName(value) : value;
	if (typeof value === 'number') return String(value);
	if (typeof value === 'object' && value !== null && 'what' in value) return String(value.what);
	return JSON.stringify(value);
}

/** One history entry as a sentence ("Gevoerd door: Anna → Bram"). */
export function describeEntry(entry: HistoryEntry, themaName: (id: string) => string): string {
	const field = fieldLabel(entry.field);
	const v = (value: unknown) => valueText(value, themaName, entry.field);
	switch (entry.op) {
		case 'set':
			return m.itemhistory_set({ field, old: v(entry.oldValue), new: v(entry.newValue) });
		case 'add':
			return m.itemhistory_add({ field, value: v(entry.newValue) });
		case 'remove':
			return m.itemhistory_remove({ field, value: v(entry.oldValue) });
		case 'text':
			return entry.confidential ? m.itemhistory_text_confidential() : m.itemhistory_text({ field });
		case 'create':
			return m.itemhistory_create();
		case 'delete':
			return m.itemhistory_delete();
	}
}

/** Who made the change: name and organisation. */
export function personOf(entry: HistoryEntry): string {
	const name = entry.actorName ?? m.itemhistory_unknown_person();
	return entry.organisationName
		? m.itemhistory_by({ name, organisation: entry.organisationName })
		: name;
}
