import { describe, expect, it } from 'vitest';
import fixture from './fixtures/pdok-locatieserver-free-adres.json';
import { isInNetherlands, isInRdBounds, rdToWgs84, wgs84ToRd } from '../../../src/lib/geo/rd';
import { parseWktPoint } from '../../../src/lib/geo/pdok';

/** Metres per degree, for stating errors in metres. */
const M_PER_DEG_LAT = 111_320;
const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

describe('RD New <-> WGS84', () => {
	it('converts the PDOK reference point (domain.md) within 1e-5 degrees; measured < 1e-8 deg (~1 mm)', () => {
		const { lon, lat } = rdToWgs84(187136.056, 428140.256);
		expect(Math.abs(lon - 5.85351525)).toBeLessThan(1e-5);
		expect(Math.abs(lat - 51.84092097)).toBeLessThan(1e-5);
		// What the grid-free definition actually achieves here:
		expect(Math.abs(lon - 5.85351525) * mPerDegLon(lat)).toBeLessThan(0.01);
		expect(Math.abs(lat - 51.84092097) * M_PER_DEG_LAT).toBeLessThan(0.01);
	});

	it('agrees with the centroide_ll / centroide_rd pair of the recorded PDOK document', () => {
		const doc = fixture.response.docs[0]!;
		const ll = parseWktPoint(doc.centroide_ll)!;
		const rd = /POINT\((\S+) (\S+)\)/.exec(doc.centroide_rd)!;
		const got = rdToWgs84(Number(rd[1]), Number(rd[2]));
		expect(got.lon).toBeCloseTo(ll.lon, 5);
		expect(got.lat).toBeCloseTo(ll.lat, 5);
	});

	it('converts the Amersfoort origin (155000, 463000) within ~0.5 m of RDNAPTRANS (52.15517440, 5.38720621)', () => {
		const { lon, lat } = rdToWgs84(155000, 463000);
		expect(Math.abs(lat - 52.1551744) * M_PER_DEG_LAT).toBeLessThan(0.5);
		expect(Math.abs(lon - 5.38720621) * mPerDegLon(lat)).toBeLessThan(0.5);
	});

	it('round-trips WGS84 -> RD -> WGS84 in the Spoorbuurt (to ~1 cm)', () => {
		const { x, y } = wgs84ToRd(5.872, 51.833);
		expect(isInRdBounds(x, y)).toBe(true);
		const back = rdToWgs84(x, y);
		expect(back.lon).toBeCloseTo(5.872, 7);
		expect(back.lat).toBeCloseTo(51.833, 7);
	});

	it('inverts the reference point to its RD coordinates within a centimetre', () => {
		const { x, y } = wgs84ToRd(5.85351525, 51.84092097);
		expect(Math.abs(x - 187136.056)).toBeLessThan(0.01);
		expect(Math.abs(y - 428140.256)).toBeLessThan(0.01);
	});

	it('tells RD metres from degrees', () => {
		expect(isInRdBounds(187136, 428140)).toBe(true);
		expect(isInRdBounds(5.85, 51.84)).toBe(false);
		expect(isInNetherlands(5.85, 51.84)).toBe(true);
		expect(isInNetherlands(51.84, 5.85)).toBe(false);
	});
});
