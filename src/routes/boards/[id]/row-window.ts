/**
 * A list's rows as far as they are shown: the first `limit`, plus a selected row further down
 * (so a selection made on the map still shows, and scrolls into view). Boards of tens of
 * thousands of addresses render a page of rows, not all of them (issue 10, "Performance").
 */
export const ROW_PAGE = 250;

export function rowWindow<T>(
	rows: readonly T[],
	limit: number,
	selected: (row: T) => boolean
): T[] {
	if (rows.length <= limit) return rows as T[];
	const shown = rows.slice(0, limit);
	for (let i = limit; i < rows.length; i++) if (selected(rows[i]!)) shown.push(rows[i]!);
	return shown;
}
