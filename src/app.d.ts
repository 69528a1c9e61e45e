// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Reference of an unexpected error, to find it in the server log. */
			id?: string;
			/**
			 * A residents' page that is not there (a street, a switched-off board): the board whose
			 * public overview still exists, for the way back. Public pages only.
			 */
			publicBoard?: { id: string; name: string };
		}
		interface Locals {
			/** The signed-in professional, or null (a resident or someone not signed in). */
			user: SessionUser | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
