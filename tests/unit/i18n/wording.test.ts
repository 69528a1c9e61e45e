import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One way of addressing people per audience in the Dutch texts: residents on the public pages
 * (`public_*`) are addressed as "u", the professionals in the app as "je". A string mixing them
 * reads as two products.
 */
function dutchMessages(): Record<string, string> {
	const files = ['messages/nl.json'];
	for (const entry of readdirSync('messages', { withFileTypes: true }))
		if (entry.isDirectory()) files.push(join('messages', entry.name, 'nl.json'));
	const all: Record<string, string> = {};
	for (const file of files) {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		for (const [key, value] of Object.entries(parsed)) {
			if (key.startsWith('$')) continue;
			if (typeof value === 'string') all[key] = value;
			// A message with variants (plural forms): each variant's text.
			else if (Array.isArray(value))
				for (const variant of value as { match?: Record<string, string> }[])
					for (const [selector, text] of Object.entries(variant.match ?? {}))
						all[`${key}#${selector}`] = text;
		}
	}
	return all;
}

const FORMAL = /(^|[^\p{L}])(u|uw)(?=$|[^\p{L}])/iu;
const INFORMAL = /(^|[^\p{L}])(je|jij|jou|jouw|jullie)(?=$|[^\p{L}])/iu;

describe('Dutch wording', () => {
	const messages = dutchMessages();

	it('has the texts', () => {
		expect(Object.keys(messages).length).toBeGreaterThan(300);
	});

	it('addresses professionals in the app as "je", never "u"', () => {
		const formal = Object.entries(messages).filter(
			([key, text]) => !key.startsWith('public_') && FORMAL.test(text)
		);
		expect(formal).toEqual([]);
	});

	it('addresses residents on the public pages as "u", never "je"', () => {
		const informal = Object.entries(messages).filter(
			([key, text]) => key.startsWith('public_') && INFORMAL.test(text)
		);
		expect(informal).toEqual([]);
	});
});
