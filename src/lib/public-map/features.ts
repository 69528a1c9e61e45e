import type { FeatureCollection, Point } from 'geojson';
import type { PublicInitiatief, StreetSignal } from '$lib/privacy/projection';

/**
 * What the interactive public map shows, as GeoJSON, made from the public projection only: each
 * published street at its middle (never a household's place) and each public initiative at the
 * place the owner published (an exact point, or its street's middle). Every feature links to a
 * public street page.
 */
export interface PublicMapData {
	centre: [number, number];
	zoom: number;
	streets: FeatureCollection<Point, { slug: string; name: string; href: string }>;
	initiatives: FeatureCollection<
		Point,
		{ id: string; title: string; status: string; exact: boolean; href: string | null }
	>;
}

export function publicMapData(
	board: {
		id: string;
		centerLon: number;
		centerLat: number;
		zoom: number;
		streets: StreetSignal[];
		initiatives: PublicInitiatief[];
	},
	lang: 'nl' | 'en',
	/** What the links append to keep the language (see langSuffix in server/public/http.ts). */
	suffix: string = lang === 'en' ? '?lang=en' : ''
): PublicMapData {
	const href = (slug: string) => `/buurt/${board.id}/${slug}${suffix}`;
	const published = new Set(board.streets.map((s) => s.slug));
	const slugOf = new Map(board.streets.map((s) => [s.street, s.slug]));
	/**
	 * The street page an initiative links to: the street of its place ("Waar: Valeriusstraat"),
	 * and only when that street is not published the first published street it is in or near.
	 */
	const streetOf = (i: PublicInitiatief): string | undefined =>
		(i.placeStreet ? slugOf.get(i.placeStreet) : undefined) ??
		i.streetSlugs.find((slug) => published.has(slug));
	return {
		centre: [board.centerLon, board.centerLat],
		zoom: board.zoom,
		streets: {
			type: 'FeatureCollection',
			features: board.streets.map((s) => ({
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
				properties: { slug: s.slug, name: s.street, href: href(s.slug) }
			}))
		},
		initiatives: {
			type: 'FeatureCollection',
			features: board.initiatives.flatMap((i) => {
				if (i.lon === null || i.lat === null) return [];
				const street = streetOf(i);
				return [
					{
						type: 'Feature' as const,
						geometry: { type: 'Point' as const, coordinates: [i.lon, i.lat] },
						properties: {
							id: i.id,
							title: i.title,
							status: i.status,
							exact: i.exact,
							href: street ? href(street) : null
						}
					}
				];
			})
		}
	};
}
