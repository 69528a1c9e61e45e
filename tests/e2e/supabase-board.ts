import { mkdtempSync, rmSync } from 'node:fs';
import { ownPort } from './ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBoardRole } from '../../src/lib/server/access';
import { openDb } from '../../src/lib/server/db';
import { ensureDemoBoard } from '../../src/lib/server/demo';
import {
	generateSigningKey,
	startAuthStandIn,
	type AuthStandIn,
	type SigningKey,
	type StandInUser
} from '../support/supabase';
import { OwnServer } from './own-server';

export interface SupabaseBoard {
	server: OwnServer;
	standIn: AuthStandIn;
	key: SigningKey;
	close(): Promise<void>;
}

/**
 * Buurtbord in Supabase mode on its own port, with a local STAND-IN of Supabase Auth's HTTP API
 * (tests/support/supabase.ts; GoTrue cannot run here) that signs ES256 tokens; the server finds the
 * key through the project's JWKS URL (no JWT secret). `member` is an editor of the demo board: an
 * owner added them by their Supabase user id.
 */
export async function startSupabaseBoard(
	member: StandInUser,
	portOffset: number,
	options: { sessionSeconds?: number } = {}
): Promise<SupabaseBoard> {
	const key = await generateSigningKey('ES256');
	const standIn = await startAuthStandIn({ key, users: [member], ...options });
	const dataDir = mkdtempSync(join(tmpdir(), 'buurtbord-e2e-supabase-'));
	const db = await openDb({ dataDir });
	try {
		await ensureDemoBoard(db);
		await db.query('insert into public.profiles (id, display_name, email) values ($1, $2, $3)', [
			member.id,
			String(member.user_metadata?.full_name ?? member.email),
			member.email
		]);
		await setBoardRole(db, 'spoorbuurt', member.id, 'editor');
	} finally {
		await db.close();
	}
	const server = new OwnServer(ownPort(portOffset), {
		BUURTBORD_DATA_DIR: dataDir,
		PUBLIC_BASEMAP_STYLE_URL: '',
		PUBLIC_SUPABASE_URL: standIn.url,
		PUBLIC_SUPABASE_ANON_KEY: 'test-anon-key'
	});
	await server.start();
	return {
		server,
		standIn,
		key,
		async close() {
			await server.stop('SIGTERM');
			await standIn.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
