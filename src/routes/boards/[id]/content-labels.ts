import {
	BoardInputError,
	DEFAULT_THEMA_LABELS,
	FOLLOW_UP_STATUS_LABELS,
	INITIATIEF_STATUS_LABELS,
	OUTCOME_LABELS,
	roundLabel,
	MOVE_WITHDRAWN_MESSAGE,
	WITHDRAWN_MESSAGE,
	type FollowUpStatus,
	type InitiatiefStatus,
	type Outcome,
	type Thema
} from '$lib/board';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const locale = () => (getLocale() === 'en' ? 'en' : 'nl');

export const outcomeLabel = (o: Outcome) => OUTCOME_LABELS[locale()][o];
export const followUpStatusLabel = (s: FollowUpStatus) => FOLLOW_UP_STATUS_LABELS[locale()][s];
export const initiatiefStatusLabel = (s: InitiatiefStatus) => INITIATIEF_STATUS_LABELS[locale()][s];
export const roundText = (round: number) => roundLabel(locale(), round);

/** A default theme that kept its name is shown in the user's language; others as named. */
export function themaLabel(t: Pick<Thema, 'id' | 'name'>): string {
	const labels = DEFAULT_THEMA_LABELS[locale()] as Record<string, string>;
	const nl = DEFAULT_THEMA_LABELS.nl as Record<string, string>;
	const known = labels[t.id];
	return known && nl[t.id]?.toLowerCase() === t.name.toLowerCase() ? known : t.name;
}

/** Field errors by path (`heldBy`, `followUps.0.due`, `consent.date`), from a refused command. */
export type FieldErrors = Record<string, string | undefined>;

/**
 * A refused value's message in the user's language. The board's commands word their checks in
 * English for the code; the page shows what the user can act on.
 */
function issueText(message: string): string {
	if (message === WITHDRAWN_MESSAGE) return m.consent_refused();
	if (message === MOVE_WITHDRAWN_MESSAGE) return m.consent_move_refused();
	if (/must not be empty|expected string|received undefined/i.test(message)) {
		return m.field_required();
	}
	const longest = /at most (\d+) (characters|items)/i.exec(message);
	if (longest) {
		const max = Number(longest[1]);
		return longest[2]!.toLowerCase() === 'items'
			? m.field_too_many({ max })
			: m.field_too_long({ max });
	}
	if (/round/i.test(message)) return m.field_round();
	if (/date|yyyy-mm-dd/i.test(message)) return m.field_date();
	if (/colour/i.test(message)) return m.field_colour();
	return m.field_invalid_value();
}

/** Turns a BoardInputError into messages per field (with `prefix` before each path). */
export function fieldErrors(error: unknown, prefix = ''): FieldErrors {
	if (!(error instanceof BoardInputError)) throw error;
	const errors: FieldErrors = {};
	const issues = error.issues.length
		? error.issues
		: [{ field: error.field ?? '', message: error.message }];
	for (const issue of issues) {
		const key = prefix + issue.field;
		errors[key] ??= issueText(issue.message);
	}
	return errors;
}

export function today(): string {
	return new Date().toISOString().slice(0, 10);
}
