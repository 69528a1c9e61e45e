import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { getBoard } from '$lib/server/boards';
import { requireBoardRole } from '$lib/server/guard';
import { boardStreets, getPublication } from '$lib/server/public/store';
import { ensureShortLinks } from '$lib/server/public/short-links';
import { streetsOf } from '$lib/privacy/projection';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/**
 * A printable A5 flyer for one street: the street page's short link (/s/<code>, easy to type from
 * paper) as text and as a QR code made on the server, and the readable address beside it.
 */
export const load: PageServerLoad = async (event) => {
	const { boardId } = await requireBoardRole(event, 'owner');
	const { db } = getRuntime();
	const board = await getBoard(db, boardId);
	if (!board) error(404, 'Not Found');
	const street = streetsOf(
		(await boardStreets(db, boardId)).map((name) => ({ id: name, street: name, lon: 0, lat: 0 }))
	).find((s) => s.slug === event.params.street);
	if (!street) error(404, 'Not Found');
	const code = (await ensureShortLinks(db, boardId, [street.slug])).get(street.slug);
	if (!code) error(500, 'No short link');
	const link = `${event.url.origin}/s/${code}`;
	const svg = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return {
		board: { id: board.id, name: board.name },
		street: street.name,
		link,
		shortLink: link.replace(/^https?:\/\//, ''),
		pageLink: `${event.url.host}/buurt/${boardId}/${street.slug}`,
		qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
		published: (await getPublication(db, boardId)).published
	};
};
