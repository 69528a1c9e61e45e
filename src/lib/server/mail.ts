import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

export interface MailOptions {
	/** Environment: SMTP_URL, MAIL_FROM, BUURTBORD_OUTBOX_DIR. */
	env?: Record<string, string | undefined>;
	/** The PGlite data folder: without SMTP and BUURTBORD_OUTBOX_DIR the outbox is `outbox` beside it. */
	dataDir: string;
	log?: (line: string) => void;
}

export type MailResult = { via: 'smtp' } | { via: 'outbox'; file: string };

const DEFAULT_FROM = 'Buurtbord <no-reply@buurtbord.invalid>';

/** Where messages go when no SMTP server is configured. */
export function outboxDir(options: Pick<MailOptions, 'env' | 'dataDir'>): string {
	const env = options.env ?? process.env;
	return resolve(env.BUURTBORD_OUTBOX_DIR || join(dirname(resolve(options.dataDir)), 'outbox'));
}

/**
 * Sends a message through SMTP_URL when it is set (nodemailer); otherwise writes it as an .eml file
 * into the outbox folder, so a development or offline setup can still hand an invitation over.
 * The log line names neither the address nor anything from the message: an invitation's link is a
 * credential and an address is personal data.
 */
export async function sendMail(message: MailMessage, options: MailOptions): Promise<MailResult> {
	const env = options.env ?? process.env;
	const log = options.log ?? ((line: string) => console.log(line));
	const from = env.MAIL_FROM || DEFAULT_FROM;
	// Loaded on the first message: a server that sends none keeps its ~10 MB out of memory.
	const { default: nodemailer } = await import('nodemailer');
	if (env.SMTP_URL) {
		const transport = nodemailer.createTransport(env.SMTP_URL);
		try {
			await transport.sendMail({ from, ...message });
		} finally {
			transport.close();
		}
		log('[mail] message sent through SMTP');
		return { via: 'smtp' };
	}
	const transport = nodemailer.createTransport({
		streamTransport: true,
		buffer: true,
		newline: 'unix'
	});
	const info = await transport.sendMail({ from, ...message });
	const dir = outboxDir(options);
	await mkdir(dir, { recursive: true });
	const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`);
	await writeFile(file, info.message as Buffer, { mode: 0o600 });
	log(`[mail] no SMTP_URL set: message written to ${file}`);
	return { via: 'outbox', file };
}
