import type { FollowUpStatus, InitiatiefStatus, Outcome } from './layout';

/** The locales the board's enumerations are labelled in. */
export type Locale = 'nl' | 'en';
export type LabelMap<K extends string> = Record<Locale, Record<K, string>>;

export const OUTCOME_LABELS: LabelMap<Outcome> = {
	nl: {
		gesproken: 'Gesproken',
		'niet-thuis': 'Niet thuis',
		geweigerd: 'Geweigerd',
		later: 'Later terugkomen'
	},
	en: {
		gesproken: 'Spoken',
		'niet-thuis': 'Not at home',
		geweigerd: 'Declined',
		later: 'Come back later'
	}
};

export const FOLLOW_UP_STATUS_LABELS: LabelMap<FollowUpStatus> = {
	nl: { open: 'Open', bezig: 'Bezig', klaar: 'Klaar' },
	en: { open: 'Open', bezig: 'In progress', klaar: 'Done' }
};

export const INITIATIEF_STATUS_LABELS: LabelMap<InitiatiefStatus> = {
	nl: {
		idee: 'Idee',
		'in-voorbereiding': 'In voorbereiding',
		loopt: 'Loopt',
		afgerond: 'Afgerond'
	},
	en: {
		idee: 'Idea',
		'in-voorbereiding': 'In preparation',
		loopt: 'Running',
		afgerond: 'Completed'
	}
};

export type EntityKind = 'gesprek' | 'thema' | 'initiatief' | 'notitie';
export const ENTITY_KIND_LABELS: LabelMap<EntityKind> = {
	nl: { gesprek: 'Gesprek', thema: 'Thema', initiatief: 'Initiatief', notitie: 'Notitie' },
	en: { gesprek: 'Conversation', thema: 'Theme', initiatief: 'Initiative', notitie: 'Note' }
};

/** Labels of the default themes (their stored names are Dutch; a board may rename them). */
export const DEFAULT_THEMA_LABELS: LabelMap<
	| 'contact-met-buren'
	| 'eenzaamheid'
	| 'ontmoeting'
	| 'groen'
	| 'veiligheid'
	| 'vergrijzing'
	| 'participatie'
	| 'overlast'
> = {
	nl: {
		'contact-met-buren': 'Contact met buren',
		eenzaamheid: 'Eenzaamheid',
		ontmoeting: 'Ontmoeting',
		groen: 'Groen',
		veiligheid: 'Veiligheid',
		vergrijzing: 'Vergrijzing',
		participatie: 'Participatie',
		overlast: 'Overlast'
	},
	en: {
		'contact-met-buren': 'Contact with neighbours',
		eenzaamheid: 'Loneliness',
		ontmoeting: 'Meeting',
		groen: 'Greenery',
		veiligheid: 'Safety',
		vergrijzing: 'Ageing',
		participatie: 'Participation',
		overlast: 'Nuisance'
	}
};

/** "Ronde 1 (voor de werkzaamheden)" / "Round 2 (after the works)". */
export function roundLabel(locale: Locale, round: number): string {
	if (locale === 'nl') {
		const when =
			round === 1 ? ' (voor de werkzaamheden)' : round === 2 ? ' (na de werkzaamheden)' : '';
		return `Ronde ${round}${when}`;
	}
	const when = round === 1 ? ' (before the works)' : round === 2 ? ' (after the works)' : '';
	return `Round ${round}${when}`;
}
