import type { Db } from '../../src/lib/server/db';

/** Every row of every table in every non-system schema, as text, through the app's own connection. */
export async function dumpDatabase(db: Db): Promise<string> {
	const tables = await db.query<{ schema: string; name: string }>(
		`select table_schema as schema, table_name as name from information_schema.tables
		 where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`
	);
	const parts: string[] = [];
	for (const { schema, name } of tables) {
		const rows = await db.query<{ row: string }>(
			`select t::text as row from "${schema}"."${name}" t`
		);
		parts.push(`-- ${schema}.${name}`, ...rows.map((r) => r.row));
	}
	return parts.join('\n');
}

/** The text, as hex (bytea) or as it is: found anywhere in the dump. */
export function foundInDump(dump: string, text: string): boolean {
	return dump.includes(text) || dump.toLowerCase().includes(Buffer.from(text).toString('hex'));
}
