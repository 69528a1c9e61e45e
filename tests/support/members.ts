/** What the members page's form action answered (SvelteKit's action result). */
export interface ActionAnswer {
	status: number;
	body: { type: string; status?: number };
}

/** An owner changes a member through the members page's form action, as the browser does. */
export async function memberAction(
	server: { url: string },
	ownerCookie: string,
	action: 'remove' | 'role',
	fields: Record<string, string>
): Promise<ActionAnswer> {
	const res = await fetch(`${server.url}/boards/spoorbuurt/leden?/${action}`, {
		method: 'POST',
		headers: {
			cookie: ownerCookie,
			origin: server.url,
			'content-type': 'application/x-www-form-urlencoded',
			'x-sveltekit-action': 'true'
		},
		body: new URLSearchParams(fields)
	});
	return { status: res.status, body: (await res.json()) as ActionAnswer['body'] };
}
