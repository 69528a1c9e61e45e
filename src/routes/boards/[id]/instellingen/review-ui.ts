import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';

/**
 * The approve and withdraw forms of the reviews: a refused approval (the text or name changed
 * meanwhile) loads the page's data again, so the owner reads what is there now.
 */
export const reloadOnFailure: SubmitFunction =
	() =>
	async ({ result, update }) => {
		await update();
		if (result.type === 'failure') await invalidateAll();
	};

/** The day of an approval, as the reviews show it. */
export function approvalDay(iso: string | null): string {
	if (!iso) return '';
	return new Intl.DateTimeFormat(getLocale() === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'long',
		timeZone: 'Europe/Amsterdam'
	}).format(new Date(iso));
}
