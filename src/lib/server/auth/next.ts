/**
 * Where to go after signing in: only a path on this site. Anything else (another origin,
 * `//evil.example`, `/\evil.example`, a scheme, control characters) goes to the home page, so the
 * sign-in page cannot be used to send someone to a look-alike site.
 */
export function safeNext(next: string | null | undefined): string {
	if (!next || next.length > 2000) return '/';
	if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	// Browsers ignore tabs and newlines in URLs and treat a backslash as a slash.
	for (const ch of next) {
		const code = ch.charCodeAt(0);
		if (code < 0x20 || code === 0x7f || ch === '\\') return '/';
	}
	try {
		const base = 'http://buurtbord.invalid';
		const url = new URL(next, base);
		if (url.origin !== base) return '/';
		return url.pathname + url.search + url.hash;
	} catch {
		return '/';
	}
}
