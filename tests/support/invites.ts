/**
 * Invitations through the real server's form actions, as a browser posts them (the members page's
 * `?/link`, the invitation page's `?/signup` and `?/accept`).
 */

export interface ActionReply {
	/** The action result's status (SvelteKit answers an enhanced form post with HTTP 200). */
	status: number;
	/** SvelteKit's action result type: success, failure, redirect, error. */
	type: string;
	/** The action result's body as text (devalue), for regexes. */
	text: string;
	/** The session cookie set by the answer, as a `Cookie` header value. */
	cookie: string | null;
}

async function post(
	url: string,
	origin: string,
	fields: Record<string, string>,
	cookie?: string
): Promise<ActionReply> {
	const res = await fetch(url, {
		method: 'POST',
		headers: {
			origin,
			'content-type': 'application/x-www-form-urlencoded',
			'x-sveltekit-action': 'true',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
	const text = await res.text();
	const set = res.headers.getSetCookie().find((c) => c.startsWith('buurtbord_session='));
	let type = '';
	let status = res.status;
	try {
		const body = JSON.parse(text) as { type?: unknown; status?: unknown };
		type = String(body.type ?? '');
		if (typeof body.status === 'number') status = body.status;
	} catch {
		// Not an action result (a plain page or an error page): type stays empty.
	}
	return { status, type, text, cookie: set ? set.split(';')[0]! : null };
}

/** An owner makes a link invitation on the members page; the token when one was made. */
export async function inviteByLink(
	server: { url: string },
	ownerCookie: string,
	fields: Record<string, string>,
	board = 'spoorbuurt'
): Promise<ActionReply & { token: string | null }> {
	const reply = await post(
		`${server.url}/boards/${board}/leden?/link`,
		server.url,
		fields,
		ownerCookie
	);
	const token = /\/uitnodiging\/([A-Za-z0-9_-]{20,100})/.exec(reply.text)?.[1] ?? null;
	return { ...reply, token };
}

/** Someone without an account signs up through an invitation link. */
export function signUpWithInvite(
	server: { url: string },
	token: string,
	fields: { name: string; email: string; password: string }
): Promise<ActionReply> {
	return post(`${server.url}/uitnodiging/${token}?/signup`, server.url, fields);
}

/** A signed-in account accepts an invitation. */
export function acceptWithAccount(
	server: { url: string },
	token: string,
	cookie: string
): Promise<ActionReply> {
	return post(`${server.url}/uitnodiging/${token}?/accept`, server.url, {}, cookie);
}
