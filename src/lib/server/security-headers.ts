/**
 * Sent with every response (pages, resident pages, static files, operations routes): no page of
 * Buurtbord may be framed by another site (a hostile page could otherwise lay its own buttons over
 * a signed-in member's board, members or erasure page: clickjacking), no response is sniffed as
 * another type than it says, and other sites get at most the origin as referrer (never an
 * invitation link's token).
 *
 * The one source of truth for both servers: the production entry sets them first thing on every
 * request (server/http.ts, requestListener), the Vite dev and preview servers through the plugin
 * `buurtbord-security-headers` in vite.config.ts. No imports: vite.config.ts loads this file.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'content-security-policy': "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
	'x-frame-options': 'DENY',
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin'
};

/** Sets them on a Node response (a header a later handler sets itself still wins). */
export function setSecurityHeaders(res: { setHeader(name: string, value: string): unknown }): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
