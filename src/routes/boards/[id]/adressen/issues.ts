import type { Issue } from '$lib/geo/issues';
import { m } from '$lib/paraglide/messages';
import { fieldLabel } from './fields';

function unhandled(issue: never): never {
	throw new Error(`No text for import issue ${JSON.stringify(issue)}`);
}

/**
 * An import problem in the current language. The switch is exhaustive: a new issue code without a
 * text here fails the type check.
 */
export function issueText(issue: Issue): string {
	switch (issue.code) {
		case 'house-number-missing':
			return m.import_issue_house_number_missing();
		case 'house-number-out-of-range':
			return m.import_issue_house_number_out_of_range(issue.params);
		case 'house-number-invalid':
			return m.import_issue_house_number_invalid(issue.params);
		case 'letter-invalid':
			return m.import_issue_letter_invalid(issue.params);
		case 'addition-invalid':
			return m.import_issue_addition_invalid(issue.params);
		case 'not-a-number':
			return m.import_issue_not_a_number(issue.params);
		case 'bag-id-invalid':
			return m.import_issue_bag_id_invalid(issue.params);
		case 'summary-row-skipped':
			return m.import_issue_summary_row_skipped(issue.params);
		case 'address-without-number':
			return m.import_issue_address_without_number(issue.params);
		case 'address-split-unclear':
			return m.import_issue_address_split_unclear(issue.params);
		case 'text-too-long':
			return m.import_issue_text_too_long({
				field: fieldLabel(issue.params.field),
				max: issue.params.max
			});
		case 'excel-scientific':
			return m.import_issue_excel_scientific(issue.params);
		case 'house-number-date':
			return m.import_issue_house_number_date(issue.params);
		case 'street-missing':
			return m.import_issue_street_missing();
		case 'letter-conflict':
			return m.import_issue_letter_conflict(issue.params);
		case 'addition-conflict':
			return m.import_issue_addition_conflict(issue.params);
		case 'postcode-invalid':
			return m.import_issue_postcode_invalid(issue.params);
		case 'coordinate-not-a-number':
			return issue.params.system === 'rd'
				? m.import_issue_rd_not_a_number({ value: issue.params.value })
				: m.import_issue_latlon_not_a_number({ value: issue.params.value });
		case 'coordinate-incomplete':
			return issue.params.system === 'rd'
				? m.import_issue_rd_incomplete()
				: m.import_issue_latlon_incomplete();
		case 'rd-in-latlon':
			return m.import_issue_rd_in_latlon();
		case 'latlon-invalid':
			return m.import_issue_latlon_invalid(issue.params);
		case 'latlon-swapped':
			return m.import_issue_latlon_swapped();
		case 'outside-nl':
			return m.import_issue_outside_nl();
		case 'rd-swapped':
			return m.import_issue_rd_swapped();
		case 'rd-outside-nl':
			return m.import_issue_rd_outside_nl(issue.params);
		case 'csv-unclosed-quote':
			return m.import_issue_csv_unclosed_quote();
		case 'csv-invalid-quotes':
			return m.import_issue_csv_invalid_quotes();
		case 'csv-parse-error':
			return m.import_issue_csv_parse_error(issue.params);
		case 'geojson-invalid-json':
			return m.import_issue_geojson_invalid_json(issue.params);
		case 'geojson-not-collection':
			return m.import_issue_geojson_not_collection();
		case 'geojson-not-feature':
			return m.import_issue_geojson_not_feature();
		case 'geojson-bad-coordinates':
			return m.import_issue_geojson_bad_coordinates();
		case 'geojson-not-point':
			return m.import_issue_geojson_not_point(issue.params);
		case 'geojson-unsupported-crs':
			return m.importfile_issue_geojson_crs(issue.params);
		case 'geojson-centre':
			return m.import_issue_geojson_centre(issue.params);
		case 'file-is-spreadsheet':
			return m.import_issue_file_is_spreadsheet();
		case 'file-is-old-excel':
			return m.import_issue_file_is_old_excel();
		case 'file-unreadable-workbook':
			return m.import_issue_file_unreadable_workbook();
		case 'file-is-encrypted':
			return m.importfile_issue_encrypted();
		case 'file-is-markup':
			return m.importfile_issue_markup();
		case 'file-not-text':
			return m.importfile_issue_not_text();
		case 'file-workbook-too-large':
			return m.importfile_issue_workbook_too_large(issue.params);
		case 'file-is-ods':
			return m.importfile_issue_ods();
		default:
			return unhandled(issue);
	}
}

/** Several problems of one line, in the order they were found. */
export function issuesText(issues: readonly Issue[]): string {
	return issues.map(issueText).join('; ');
}
