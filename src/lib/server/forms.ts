import { error } from '@sveltejs/kit';

/** The content types SvelteKit takes as a form. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * The request's form fields; a body that does not parse as a form (a broken multipart body, a
 * JSON or binary body sent to a form endpoint) is the sender's mistake: 400 or 415, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) error(415, 'Expected form data');
	try {
		return await request.formData();
	} catch {
		error(400, 'Malformed form data');
	}
}

/**
 * SvelteKit answers a POST to `?/default` (a reserved action name) with an exception, which would
 * be a 500 and a line in the error log: it is a bad request.
 */
export function reservedAction(url: URL): boolean {
	return url.searchParams.has('/default');
}
