-- Confidential notes: a gesprek's notes marked "alleen mijn organisatie" live outside the shared
-- board document, in one Yjs document per organisation per board (sync document name
-- `<board>/org/<organisation>`). Its update log is kept apart from public.board_updates so that
-- these notes never reach anyone outside that organisation: not over the socket (the server picks
-- the document from the user's own organisation) and not through the API (the policies below).

create table public.org_note_updates (
	board_id text not null references public.boards (id) on delete cascade,
	organisation_id uuid not null references public.organisations (id) on delete cascade,
	seq bigint generated always as identity,
	data bytea not null,
	created_at timestamptz not null default now(),
	primary key (board_id, organisation_id, seq)
);

comment on table public.org_note_updates is 'Yjs updates of one organisation''s confidential notes on a board; the merge of a board and organisation''s rows is that document.';

alter table public.org_note_updates enable row level security;

grant select, insert, update, delete on public.org_note_updates to anon, authenticated, service_role;

-- The calling user's organisation comes from private.organisation_id() (the access migration), which
-- reads their profile: a user cannot choose it (profiles.organisation_id is set by the server).
create policy "Members of a board read their own organisation's confidential notes"
on public.org_note_updates for select to authenticated
using (
	organisation_id = private.organisation_id()
	and private.has_board_role(board_id, 'viewer')
);

create policy "Editors of a board add to their own organisation's confidential notes"
on public.org_note_updates for insert to authenticated
with check (
	organisation_id = private.organisation_id()
	and private.has_board_role(board_id, 'editor')
);
-- No update or delete policy: the log is appended to, never changed through the API (compaction
-- and erasure are the server's, which connects as the table owner or as service_role).
