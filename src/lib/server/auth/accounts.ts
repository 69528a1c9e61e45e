import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password';
import type { SessionUser } from './sessions';
import {
	addressKey,
	clearFailures,
	MAX_FAILURES_PER_ADDRESS,
	takeAttempt,
	throttleKey
} from './throttle';

export const MIN_PASSWORD_LENGTH = 12;
/** Upper bound so a huge "password" cannot tie up the KDF. */
export const MAX_PASSWORD_LENGTH = 1024;

const email = z
	.string()
	.trim()
	.max(320)
	.pipe(z.email({ message: 'Enter a valid email address.' }));

export const newAccountSchema = z.object({
	email,
	password: z
		.string()
		.min(MIN_PASSWORD_LENGTH, {
			message: `Use a password of at least ${MIN_PASSWORD_LENGTH} characters.`
		})
		.max(MAX_PASSWORD_LENGTH, {
			message: `Use a password of at most ${MAX_PASSWORD_LENGTH} characters.`
		}),
	displayName: z.string().trim().min(1, { message: 'Enter a name.' }).max(200),
	organisationName: z.string().trim().min(1, { message: 'Enter an organisation.' }).max(200)
});

export type NewAccount = z.input<typeof newAccountSchema>;

export type CreateAccountResult =
	| { ok: true; user: SessionUser }
	| { ok: false; reason: 'invalid'; errors: Partial<Record<keyof NewAccount, string>> }
	| { ok: false; reason: 'duplicate_email'; message: string };

const DUPLICATE_EMAIL = 'An account with this email address already exists.';

function isUniqueViolation(err: unknown): boolean {
	return (err as { code?: unknown } | null)?.code === '23505';
}

/** A new account's checked fields and its password hash, ready to be inserted. */
export interface PreparedAccount {
	email: string;
	displayName: string;
	organisationName: string;
	passwordHash: string;
}

export type PrepareAccountResult =
	{ ok: true; account: PreparedAccount } | Extract<CreateAccountResult, { reason: 'invalid' }>;

/** Checks a new account's fields and hashes its password (slow: before any transaction). */
export async function prepareAccount(
	input: NewAccount,
	/**
	 * The password's hash, made already by hashPassword (a caller creating many accounts with one
	 * password, such as the tests' factories, hashes it once); by default it is made here.
	 */
	passwordHash?: Promise<string>
): Promise<PrepareAccountResult> {
	const parsed = newAccountSchema.safeParse(input);
	if (!parsed.success) {
		const errors: Partial<Record<keyof NewAccount, string>> = {};
		for (const issue of parsed.error.issues) {
			const field = issue.path[0] as keyof NewAccount;
			errors[field] ??= issue.message;
		}
		return { ok: false, reason: 'invalid', errors };
	}
	const { password, ...fields } = parsed.data;
	return {
		ok: true,
		account: { ...fields, passwordHash: await (passwordHash ?? hashPassword(password)) }
	};
}

/**
 * Inserts a prepared account into the given organisation, inside the caller's transaction. A
 * unique violation (another request took the address meanwhile) is the caller's to turn into
 * duplicate_email; an address already taken is reported here.
 */
export async function insertAccount(
	tx: Queryable,
	account: PreparedAccount,
	organisationId: string
): Promise<CreateAccountResult> {
	if (await emailTaken(tx, account.email)) return DUPLICATE_EMAIL_RESULT;
	const [profile] = await tx.query<{ id: string }>(
		`insert into public.profiles (id, organisation_id, display_name, email)
		 values (gen_random_uuid(), $1, $2, $3)
		 returning id`,
		[organisationId, account.displayName, account.email]
	);
	await tx.query('insert into public.local_credentials (user_id, password_hash) values ($1, $2)', [
		profile!.id,
		account.passwordHash
	]);
	return {
		ok: true,
		user: {
			id: profile!.id,
			email: account.email,
			displayName: account.displayName,
			organisationId
		}
	};
}

/** Whether an error is PostgreSQL's unique violation (an email address taken meanwhile). */
export function isDuplicateEmailError(err: unknown): boolean {
	return isUniqueViolation(err);
}

export const DUPLICATE_EMAIL_RESULT = {
	ok: false,
	reason: 'duplicate_email',
	message: DUPLICATE_EMAIL
} as const;

/**
 * Creates a built-in account: the organisation (reused when one of that name, in any case, exists),
 * the profile and its password credentials, in one transaction. For trusted callers only (first
 * start setup, CLI): naming an organisation joins it. An invitation never comes here: it places a
 * new account in the invitation's organisation by id (invites.ts, acceptWithNewAccount).
 */
export async function createAccount(
	db: Db,
	input: NewAccount,
	/** The password's hash, made already (see prepareAccount). */
	passwordHash?: Promise<string>
): Promise<CreateAccountResult> {
	// Hashing takes a while: done before the transaction holds anything.
	const prepared = await prepareAccount(input, passwordHash);
	if (!prepared.ok) return prepared;
	try {
		return await db.transaction(async (tx) => {
			// Refused before an organisation of a new name is made for it.
			if (await emailTaken(tx, prepared.account.email)) return DUPLICATE_EMAIL_RESULT;
			return insertAccount(
				tx,
				prepared.account,
				await organisationFor(tx, prepared.account.organisationName)
			);
		});
	} catch (err) {
		// Another request took the address between our check and our insert.
		if (isUniqueViolation(err)) return DUPLICATE_EMAIL_RESULT;
		throw err;
	}
}

async function emailTaken(tx: Queryable, email: string): Promise<boolean> {
	const rows = await tx.query('select 1 from public.profiles where lower(email) = lower($1)', [
		email
	]);
	return rows.length > 0;
}

async function organisationFor(tx: Queryable, name: string): Promise<string> {
	const [existing] = await tx.query<{ id: string }>(
		'select id from public.organisations where lower(name) = lower($1) order by created_at, id limit 1',
		[name]
	);
	if (existing) return existing.id;
	const [created] = await tx.query<{ id: string }>(
		'insert into public.organisations (name) values ($1) returning id',
		[name]
	);
	return created!.id;
}

export type AuthenticateResult =
	| { ok: true; user: SessionUser }
	| { ok: false; reason: 'invalid_credentials' }
	| { ok: false; reason: 'throttled'; retryAfterMinutes: number };

/**
 * Checks an email address and password. Failures count towards throttling per email + client
 * address; a wrong address and a wrong password look (and take) the same.
 */
export async function authenticate(
	db: Db,
	emailAddress: string,
	password: string,
	ip: string
): Promise<AuthenticateResult> {
	const key = throttleKey(emailAddress, ip);
	// Counted before the check, atomically: a burst of simultaneous attempts cannot all get in. The
	// client address first, whatever the email (its count is not cleared by a success).
	const perAddress = await takeAttempt(db, addressKey(ip), MAX_FAILURES_PER_ADDRESS);
	if (!perAddress.allowed) {
		return { ok: false, reason: 'throttled', retryAfterMinutes: perAddress.retryAfterMinutes };
	}
	const throttle = await takeAttempt(db, key);
	if (!throttle.allowed) {
		return { ok: false, reason: 'throttled', retryAfterMinutes: throttle.retryAfterMinutes };
	}
	const [row] =
		password.length > MAX_PASSWORD_LENGTH
			? []
			: await db.query<{
					id: string;
					email: string | null;
					display_name: string;
					organisation_id: string | null;
					password_hash: string;
				}>(
					`select p.id, p.email, p.display_name, p.organisation_id, c.password_hash
					 from public.profiles p join public.local_credentials c on c.user_id = p.id
					 where lower(p.email) = lower($1)`,
					[emailAddress.trim()]
				);
	const valid = await verifyPassword(
		password.slice(0, MAX_PASSWORD_LENGTH),
		row?.password_hash ?? (await dummyHash())
	);
	if (!row || !valid) {
		// The attempt taken above stays as this failure.
		return { ok: false, reason: 'invalid_credentials' };
	}
	await clearFailures(db, key);
	if (needsRehash(row.password_hash)) {
		await db.query(
			'update public.local_credentials set password_hash = $2, updated_at = now() where user_id = $1',
			[row.id, await hashPassword(password)]
		);
	}
	return {
		ok: true,
		user: {
			id: row.id,
			email: row.email,
			displayName: row.display_name,
			organisationId: row.organisation_id
		}
	};
}
