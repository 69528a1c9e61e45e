import proj4 from 'proj4';

/**
 * RD New (Amersfoort / RD New, EPSG:28992), grid-free definition: the oblique stereographic
 * projection on the Bessel 1841 ellipsoid plus the 7-parameter Helmert transformation to WGS84
 * (the `towgs84` values of the EPSG Amersfoort -> WGS 84 transformation, as in epsg.io/28992).
 *
 * Without the RDNAPTRANS correction grid this is accurate to roughly a metre over the Netherlands
 * (measured in the tests: < 0.01 m at the PDOK reference point in Nijmegen, ~0.3 m at the
 * Amersfoort origin), far below what a house marker on a map needs.
 */
export const RD_NEW_PROJ4 =
	'+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 ' +
	'+x_0=155000 +y_0=463000 +ellps=bessel ' +
	'+towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';

const converter = proj4(RD_NEW_PROJ4, 'EPSG:4326');

export interface LonLat {
	lon: number;
	lat: number;
}

export interface RdPoint {
	x: number;
	y: number;
}

/**
 * The area where RD coordinates are meaningful (the RD "validity" box, with some margin around the
 * Netherlands incl. the Wadden and the North Sea coast). Used to tell RD metres from degrees.
 */
export const RD_BOUNDS = { minX: -7000, maxX: 300000, minY: 289000, maxY: 629000 } as const;

/** Rough WGS84 box around the Netherlands (incl. the coast), for plausibility warnings. */
export const NL_BOUNDS = { minLon: 3.2, maxLon: 7.3, minLat: 50.7, maxLat: 53.6 } as const;

export function isInRdBounds(x: number, y: number): boolean {
	return (
		Number.isFinite(x) &&
		Number.isFinite(y) &&
		x >= RD_BOUNDS.minX &&
		x <= RD_BOUNDS.maxX &&
		y >= RD_BOUNDS.minY &&
		y <= RD_BOUNDS.maxY
	);
}

export function isInNetherlands(lon: number, lat: number): boolean {
	return (
		lon >= NL_BOUNDS.minLon &&
		lon <= NL_BOUNDS.maxLon &&
		lat >= NL_BOUNDS.minLat &&
		lat <= NL_BOUNDS.maxLat
	);
}

/** RD New metres -> WGS84 degrees. */
export function rdToWgs84(x: number, y: number): LonLat {
	const [lon, lat] = converter.forward([x, y]) as [number, number];
	return { lon, lat };
}

/** WGS84 degrees -> RD New metres. */
export function wgs84ToRd(lon: number, lat: number): RdPoint {
	const [x, y] = converter.inverse([lon, lat]) as [number, number];
	return { x, y };
}
