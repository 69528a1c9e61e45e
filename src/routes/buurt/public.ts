import { DEFAULT_THEMA_LABELS, INITIATIEF_STATUS_LABELS } from '$lib/board/labels';
import type { InitiatiefStatus } from '$lib/board/layout';
import type { PublicThemeRef } from '$lib/privacy/projection';

export type Lang = 'nl' | 'en';

type DefaultThema = keyof (typeof DEFAULT_THEMA_LABELS)['nl'];

/** A theme's name in the page's language (default themes are translated unless renamed). */
export function themeName(lang: Lang, theme: Pick<PublicThemeRef, 'id' | 'name'>): string {
	const nl = DEFAULT_THEMA_LABELS.nl[theme.id as DefaultThema];
	if (nl && nl.toLowerCase() === theme.name.toLowerCase()) {
		return DEFAULT_THEMA_LABELS[lang][theme.id as DefaultThema];
	}
	return theme.name;
}

export function statusLabel(lang: Lang, status: InitiatiefStatus): string {
	return INITIATIEF_STATUS_LABELS[lang][status] ?? status;
}

export function formatDate(lang: Lang, iso: string): string {
	return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(new Date(`${iso}T00:00:00Z`));
}
