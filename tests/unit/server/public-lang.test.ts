import { describe, expect, it } from 'vitest';
import {
	langSuffix,
	languageVaries,
	preferredLang,
	publicLang
} from '../../../src/lib/server/public/http';

/** The public pages' language: the URL's choice, the language cookie, Accept-Language, Dutch. */
describe('public page language', () => {
	it('reads Accept-Language by weight, then by order; Dutch when it names neither', () => {
		expect(preferredLang(null)).toBe('nl');
		expect(preferredLang('')).toBe('nl');
		expect(preferredLang('en-GB,en;q=0.9,nl;q=0.8')).toBe('en');
		expect(preferredLang('nl-BE,en;q=0.9')).toBe('nl');
		expect(preferredLang('en;q=0.4, nl;q=0.6')).toBe('nl');
		expect(preferredLang('fr-FR,fr;q=0.9,en-US;q=0.8')).toBe('en');
		expect(preferredLang('EN-us')).toBe('en');
		expect(preferredLang('en;q=0, *')).toBe('nl');
		expect(preferredLang('en;q=abc')).toBe('nl');
		expect(preferredLang('de, *;q=0.5')).toBe('nl');
		expect(preferredLang('english')).toBe('nl');
	});

	it('lets an explicit choice win: the URL, then the cookie', () => {
		const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
		const page = (q = '') => new URL(`http://x/buurt/b${q}`);
		const en = { 'accept-language': 'en' };
		expect(publicLang(page(), headers(en))).toBe('en');
		expect(publicLang(page('?lang=nl'), headers(en))).toBe('nl');
		expect(publicLang(page('?lang=fr'), headers(en))).toBe('en');
		const cookie = (value: string) => ({ cookie: `sid=1; PARAGLIDE_LOCALE=${value}`, ...en });
		expect(publicLang(page(), headers(cookie('nl')))).toBe('nl');
		expect(publicLang(page('?lang=en'), headers(cookie('nl')))).toBe('en');
		expect(publicLang(page(), headers(cookie('de')))).toBe('en');
	});

	it('varies only without ?lang=, and keeps the language in links', () => {
		expect(languageVaries(new URL('http://x/buurt/b'))).toBe(true);
		expect(languageVaries(new URL('http://x/buurt/b?lang=nl'))).toBe(false);
		expect(langSuffix(new URL('http://x/buurt/b'), 'en')).toBe('?lang=en');
		expect(langSuffix(new URL('http://x/buurt/b'), 'nl')).toBe('');
		expect(langSuffix(new URL('http://x/buurt/b?lang=nl'), 'nl')).toBe('?lang=nl');
	});
});
