/**
 * What access checks cost: every page request and every socket upgrade resolves the session
 * cookie (one query) and the board role (one query); every sign-in verifies a scrypt hash.
 * Baselines in the same run: a request without a cookie (no query) and SHA-256 of a token.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { boardRole } from '../src/lib/server/access';
import { hashPassword, verifyPassword } from '../src/lib/server/auth/password';
import { embeddedResolver } from '../src/lib/server/auth/resolve';
import { openDb } from '../src/lib/server/db';
import { ensureDemoBoard } from '../src/lib/server/demo';
import { seedUsers } from '../tests/support/accounts';
import { summarize, type Summary } from './lib/util';

export interface AuthRow {
	driver: string;
	step: string;
	summary: Summary;
}

async function time(runs: number, fn: () => Promise<unknown> | unknown): Promise<Summary> {
	for (let i = 0; i < Math.min(20, runs); i++) await fn();
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		await fn();
		samples.push(performance.now() - t0);
	}
	return summarize(samples);
}

export async function benchAuth(
	targets: { driver: string; dataDir?: string; databaseUrl?: string }[],
	runs: number,
	log: (m: string) => void
): Promise<AuthRow[]> {
	const rows: AuthRow[] = [];
	for (const target of targets) {
		log(`access checks: ${target.driver}`);
		const db = await openDb({ databaseUrl: target.databaseUrl, dataDir: target.dataDir ?? '' });
		try {
			await ensureDemoBoard(db);
			const { member } = await seedUsers(db, {
				member: { org: 'Bench', boards: { spoorbuurt: 'editor' } }
			});
			const auth = embeddedResolver(db);
			const row = (step: string, summary: Summary) =>
				rows.push({ driver: target.driver, step, summary });
			row('request without a cookie (baseline)', await time(runs, () => auth.resolve({})));
			row('session cookie → user', await time(runs, () => auth.resolve({ cookie: member.cookie })));
			row('board role', await time(runs, () => boardRole(db, member.id, 'spoorbuurt')));
			row(
				'the door (session + role)',
				await time(runs, async () => {
					const resolved = await auth.resolve({ cookie: member.cookie });
					await boardRole(db, resolved!.user.id, 'spoorbuurt');
				})
			);
		} finally {
			await db.close();
		}
	}
	log('access checks: password hashing');
	const token = 'a'.repeat(43);
	rows.push({
		driver: 'cpu',
		step: 'SHA-256 of a session token (baseline)',
		summary: await time(runs, () => createHash('sha256').update(token).digest('base64url'))
	});
	const hash = await hashPassword('correct horse battery staple');
	rows.push({
		driver: 'cpu',
		step: 'scrypt password check (sign-in)',
		summary: await time(Math.max(5, Math.round(runs / 40)), () =>
			verifyPassword('correct horse battery staple', hash)
		)
	});
	return rows;
}
