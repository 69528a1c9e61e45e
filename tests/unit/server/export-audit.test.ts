import { describe, expect, it } from 'vitest';
import {
	allowedExport,
	describeExport,
	exportSubject,
	type ExportRequest
} from '../../../src/lib/server/analysis';

/** What the audit log keeps of an export: what it held, never content. */
describe('export audit subject', () => {
	const request = (over: Partial<ExportRequest>): ExportRequest => ({
		what: 'gesprekken',
		format: 'csv',
		anonymised: false,
		notes: false,
		...over
	});

	it('tells gesprekken with shared notes from gesprekken without', () => {
		const withNotes = exportSubject(request({ notes: true }));
		const without = exportSubject(request({ notes: false }));
		expect(withNotes).not.toBe(without);
		expect(describeExport(withNotes)).toEqual({
			what: 'gesprekken',
			format: 'csv',
			anonymised: false,
			notes: true
		});
		expect(describeExport(without)?.notes).toBe(false);
	});

	it('records what the role got, not what was asked', () => {
		// A viewer asking for street totals gets them anonymised; notes never come with aggregates.
		const got = allowedExport('viewer', request({ what: 'straten', notes: true }));
		expect(describeExport(exportSubject(got))).toEqual({
			what: 'straten',
			format: 'csv',
			anonymised: true,
			notes: false
		});
		const geo = allowedExport('editor', request({ format: 'geojson', anonymised: true }));
		expect(describeExport(exportSubject(geo))).toMatchObject({
			what: 'straten',
			format: 'geojson',
			anonymised: true
		});
	});

	it('reads the file names older entries stored, notes unknown for full gesprekken', () => {
		expect(describeExport('spoorbuurt-gesprekken.csv')).toEqual({
			what: 'gesprekken',
			format: 'csv',
			anonymised: false,
			notes: null
		});
		expect(describeExport('spoorbuurt-straten-anoniem.geojson')).toEqual({
			what: 'straten',
			format: 'geojson',
			anonymised: true,
			notes: false
		});
		expect(describeExport(null)).toBeNull();
		expect(describeExport('gesprekken:csv:full')).toBeNull();
		expect(describeExport('iets anders')).toBeNull();
	});
});
