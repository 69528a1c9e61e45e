/**
 * Close codes of the sync socket that both the server and the browser need. (4400, 4403 and 4422
 * are in src/lib/server/sync/room.ts and src/lib/board/layout.ts.)
 *
 * 4401 "signed out": the session this socket was opened with ended (sign-out, a new sign-in in
 * the same browser, expiry, every session of the user ended). The browser stops reconnecting with
 * the old credentials and, unless it is still signed in (a renewed Supabase token), goes to the
 * sign-in page.
 */
export const CLOSE_SIGNED_OUT = 4401;
