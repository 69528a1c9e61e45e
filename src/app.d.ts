// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Reference of an unexpected error, to find it in the server log. */
			id?: string;
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
