-- Invitations to a board: by link (single use, expiring) or by email address.
--
-- Only the SHA-256 of an invitation's token is stored: whoever reads this table (an owner through
-- the API, a backup) cannot use an open invitation. The organisation a NEW account joins is
-- decided by the owner who invites, never by the invitee: the organisation decides who reads
-- confidential notes. Accepting happens on the app server (connected as the table owner) in one
-- conditional update, so an invitation is used once even when two people accept at the same time.

create table public.board_invites (
	id uuid primary key default gen_random_uuid(),
	board_id text not null references public.boards (id) on delete cascade,
	-- SHA-256 of the token (base64url); the token itself is shown once to the owner and never stored.
	token_hash text not null unique,
	role text not null check (role in ('owner', 'editor', 'viewer')),
	-- An invitation for an organisation that no longer exists is void.
	organisation_id uuid not null references public.organisations (id) on delete cascade,
	-- Null for a link invitation; otherwise only an account with this address can accept it.
	email text check (email ~ '^[^@\s]+@[^@\s]+$'),
	created_by uuid references public.profiles (id) on delete set null,
	created_at timestamptz not null default now(),
	expires_at timestamptz not null default now() + interval '7 days',
	used_at timestamptz,
	used_by uuid references public.profiles (id) on delete set null
);

comment on table public.board_invites is 'Single-use, expiring invitations to a board, stored by the SHA-256 of their token.';

create index board_invites_board_id_idx on public.board_invites (board_id);

alter table public.board_invites enable row level security;

-- Grants as Supabase has them by default, less update: an invitation is never changed through the
-- API (accepting it is the server's job), so row-level security is not the only thing in the way.
grant select, insert, delete on public.board_invites to anon, authenticated, service_role;
grant update on public.board_invites to service_role;
revoke update on public.board_invites from anon, authenticated;

-- Policies: only owners of the board, and only signed-in ones; anon sees and changes nothing.
create policy "Owners can read the invitations of their boards"
on public.board_invites for select to authenticated
using (private.has_board_role(board_id, 'owner'));

create policy "Owners can invite people to their boards"
on public.board_invites for insert to authenticated
with check (
	private.has_board_role(board_id, 'owner')
	and created_by = auth.uid()
	and used_at is null
	and used_by is null
);

create policy "Owners can revoke invitations of their boards"
on public.board_invites for delete to authenticated
using (private.has_board_role(board_id, 'owner'));
