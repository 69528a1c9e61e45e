/**
 * Problems the address import finds, as data rather than text: a code plus the values the message
 * needs. The UI turns them into words in the user's language (see the import page's issues.ts);
 * nothing in src/lib/geo decides how a problem is phrased.
 */

/** Which coordinate columns a coordinate problem is about. */
export type CoordinateSystem = 'wgs84' | 'rd';

/** The free-text fields of an address, with a length limit each (TEXT_LIMITS in ./import.ts). */
export type TextField = 'street' | 'city' | 'complexNumber' | 'unitNumber';

/** Every issue code with the parameters its message gets. */
export interface IssueParams {
	// Cells (./normalize.ts)
	/** The house number cell is empty. */
	'house-number-missing': Record<string, never>;
	/** A number, but 0 or above 99999. */
	'house-number-out-of-range': { value: string };
	/** Not a house number at all ("abc", "12.5"). */
	'house-number-invalid': { value: string };
	/** The huisletter column holds more than one letter. */
	'letter-invalid': { value: string };
	/** The toevoeging is longer than 4 letters or digits. */
	'addition-invalid': { value: string };
	/** A decimal cell is not a number. */
	'not-a-number': { value: string };
	/** Not a 16-digit nummeraanduiding id (e.g. mangled by Excel); the row is kept without it. */
	'bag-id-invalid': { value: string };
	/** A house number Excel turned into a date ("12-2" became "12-feb"). */
	'house-number-date': { value: string };

	// Rows (./import.ts)
	/** A totals line of the export ("Totaal: 150"), without an address: skipped, not an error. */
	'summary-row-skipped': { value: string };
	/** The combined adres column has no house number. */
	'address-without-number': { value: string };
	/** The combined adres column cannot be told apart into street and number ("Dorpsstraat 12 1 hoog"). */
	'address-split-unclear': { value: string };
	/** A complex or unit number Excel wrote as "1,04E+12": the full number is lost (warning). */
	'excel-scientific': { value: string };
	/** A cell longer than the register keeps. */
	'text-too-long': { field: TextField; max: number };
	'street-missing': Record<string, never>;
	/** The letter in the house number and the huisletter column disagree. */
	'letter-conflict': { inNumber: string; inColumn: string };
	/** The toevoeging in the house number and the toevoeging column disagree. */
	'addition-conflict': { inNumber: string; inColumn: string };
	'postcode-invalid': { value: string };
	/** A coordinate cell is not a number. */
	'coordinate-not-a-number': { system: CoordinateSystem; value: string };
	/** Only one of the two coordinates is filled in. */
	'coordinate-incomplete': { system: CoordinateSystem };
	/** The lat/lon columns hold RD metres; converted (warning). */
	'rd-in-latlon': Record<string, never>;
	/** Values in the lat/lon columns that are neither degrees nor RD metres. */
	'latlon-invalid': { lat: number; lon: number };
	/** Latitude and longitude were swapped; swapped back (warning). */
	'latlon-swapped': Record<string, never>;
	/** Accepted, but the point lies outside the Netherlands (warning). */
	'outside-nl': Record<string, never>;
	/** RD x and y were swapped; swapped back (warning). */
	'rd-swapped': Record<string, never>;
	/** RD coordinates outside the Netherlands. */
	'rd-outside-nl': { x: number; y: number };

	// CSV reading (./csv-import.ts)
	/** A quote that is never closed: the rest of the file may be one cell. */
	'csv-unclosed-quote': Record<string, never>;
	'csv-invalid-quotes': Record<string, never>;
	/** Any other CSV parser problem, with the parser's own (English) text. */
	'csv-parse-error': { detail: string };

	// GeoJSON reading (./geojson-import.ts)
	/** The whole file is not JSON (thrown as GeoJsonImportError). */
	'geojson-invalid-json': { detail: string };
	/** The whole file is not a FeatureCollection (thrown as GeoJsonImportError). */
	'geojson-not-collection': Record<string, never>;
	'geojson-not-feature': Record<string, never>;
	'geojson-bad-coordinates': Record<string, never>;
	/** A geometry other than a Point, MultiPoint, Polygon or MultiPolygon. */
	'geojson-not-point': { type: string };
	/** The file names a coordinate system other than WGS84, RD New or Web Mercator (thrown). */
	'geojson-unsupported-crs': { name: string };
	/** A building outline (Polygon) or several points: placed at their centre (warning). */
	'geojson-centre': { type: string };

	// The file as a whole
	/** An Excel workbook (.xlsx, .xls) rather than a CSV file. */
	'file-is-spreadsheet': Record<string, never>;
	/** An Excel 97-2003 workbook (.xls), which is not read: .xlsx and CSV are. */
	'file-is-old-excel': Record<string, never>;
	/** A workbook with a password to open it (Excel then stores it as an encrypted compound file). */
	'file-is-encrypted': Record<string, never>;
	/** A ZIP file that is not an Excel workbook that can be read (damaged, .ods, another ZIP). */
	'file-unreadable-workbook': Record<string, never>;
	/** A web page (HTML table) or Excel 2003 XML, as web applications download "Excel" files. */
	'file-is-markup': Record<string, never>;
	/** Not a text file at all (a PDF, an image, a damaged file): no CSV, workbook or GeoJSON. */
	'file-not-text': Record<string, never>;
	/** A workbook that would unpack to more than the import can hold (a ZIP bomb, or far too big). */
	'file-workbook-too-large': { megabytes: number };
	/** An OpenDocument spreadsheet (.ods, from LibreOffice), which is not read: .xlsx and CSV are. */
	'file-is-ods': Record<string, never>;
}

export type IssueCode = keyof IssueParams;

/** One problem: its code and the parameters that belong to that code. */
export type Issue = { [C in IssueCode]: { code: C; params: IssueParams[C] } }[IssueCode];

/** Builds an issue; `params` is checked against the code. */
export function issue<C extends IssueCode>(code: C, params: IssueParams[C]): Issue {
	return { code, params } as Issue;
}

/** A file that cannot be read as an address list at all; the whole file is refused. */
export class ImportFileError extends Error {
	readonly issue: Issue;

	constructor(problem: Issue) {
		super(`${problem.code} ${JSON.stringify(problem.params)}`);
		this.name = 'ImportFileError';
		this.issue = problem;
	}
}
