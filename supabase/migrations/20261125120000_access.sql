-- Who may see what: organisations, profiles, board memberships and row-level security.
--
-- The app server connects as the table owner and is not subject to these policies. They decide what
-- Supabase's API roles may do: `anon` (no session) and `authenticated` (a signed-in user, whose id
-- `auth.uid()` reads from the request's JWT claims). Roles per board: owner (members, settings),
-- editor (edits), viewer (reads, changes nothing).

-- Supabase's roles and auth.uid(), created only where they do not exist yet (on Supabase they do,
-- and must not be replaced). Roles belong to the whole cluster, so another database may be
-- creating them at the same moment: that one wins, this one carries on.
do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		if not exists (select 1 from pg_catalog.pg_roles where rolname = r) then
			begin
				if r = 'service_role' then
					execute format('create role %I nologin noinherit bypassrls', r);
				else
					execute format('create role %I nologin noinherit', r);
				end if;
			exception
				when duplicate_object or unique_violation then null;
			end;
		end if;
	end loop;
end
$$;

create schema if not exists auth;

do $$
begin
	if not exists (
		select 1
		from pg_catalog.pg_proc p
		join pg_catalog.pg_namespace n on n.oid = p.pronamespace
		where n.nspname = 'auth' and p.proname = 'uid'
	) then
		execute $fn$
			create function auth.uid() returns uuid
			language sql stable
			as $body$
				select nullif(
					nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::json ->> 'sub',
					''
				)::uuid
			$body$
		$fn$;
		execute 'grant usage on schema auth to anon, authenticated, service_role';
		execute 'grant execute on function auth.uid() to anon, authenticated, service_role';
	end if;
end
$$;

-- Tables -----------------------------------------------------------------------------------------

create table public.organisations (
	id uuid primary key default gen_random_uuid(),
	name text not null check (char_length(name) between 1 and 200),
	created_at timestamptz not null default now()
);

comment on table public.organisations is 'A controller of personal data (housing corporation, welfare organisation, researcher).';

alter table public.organisations enable row level security;

create table public.profiles (
	id uuid primary key,
	organisation_id uuid references public.organisations (id) on delete set null,
	display_name text not null check (char_length(display_name) between 1 and 200),
	email text check (email ~ '^[^@\s]+@[^@\s]+$'),
	created_at timestamptz not null default now()
);

comment on table public.profiles is 'A signed-in professional; id is the auth user id (auth.users on Supabase).';

create unique index profiles_email_key on public.profiles (lower(email));
create index profiles_organisation_id_idx on public.profiles (organisation_id);

alter table public.profiles enable row level security;

-- On Supabase a profile goes when its auth user goes.
do $$
begin
	if pg_catalog.to_regclass('auth.users') is not null then
		alter table public.profiles
			add constraint profiles_id_fkey foreign key (id) references auth.users (id) on delete cascade;
	end if;
end
$$;

create table public.board_members (
	board_id text not null references public.boards (id) on delete cascade,
	user_id uuid not null references public.profiles (id) on delete cascade,
	role text not null check (role in ('owner', 'editor', 'viewer')),
	created_at timestamptz not null default now(),
	primary key (board_id, user_id)
);

comment on table public.board_members is 'Who may open a board, and as what: owner, editor or viewer.';

create index board_members_user_id_idx on public.board_members (user_id);

alter table public.board_members enable row level security;

-- Helpers ----------------------------------------------------------------------------------------
-- In a schema the API does not expose. Security definer where they read board_members, whose own
-- policies use them (a policy reading its own table would recurse).

create schema if not exists private;

create function private.board_role(p_board_id text) returns text
language sql stable security definer
set search_path = ''
as $$
	select m.role from public.board_members m
	where m.board_id = p_board_id and m.user_id = auth.uid()
$$;

comment on function private.board_role(text) is 'The calling user''s role on a board, or null.';

create function private.has_board_role(p_board_id text, p_min_role text) returns boolean
language sql stable
set search_path = ''
as $$
	select coalesce(
		array_position(array['viewer', 'editor', 'owner'], private.board_role(p_board_id))
			>= array_position(array['viewer', 'editor', 'owner'], p_min_role),
		false
	)
$$;

comment on function private.has_board_role(text, text) is 'Whether the calling user has at least this role (viewer < editor < owner) on a board.';

create function private.shares_board_with(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
	select exists (
		select 1
		from public.board_members mine
		join public.board_members theirs on theirs.board_id = mine.board_id
		where mine.user_id = auth.uid() and theirs.user_id = p_user_id
	)
$$;

comment on function private.shares_board_with(uuid) is 'Whether the calling user and this user are members of a common board.';

create function private.organisation_id() returns uuid
language sql stable security definer
set search_path = ''
as $$
	select p.organisation_id from public.profiles p where p.id = auth.uid()
$$;

comment on function private.organisation_id() is 'The calling user''s organisation, or null.';

create function private.can_see_organisation(p_organisation_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
	select exists (
		select 1 from public.profiles p
		where p.organisation_id = p_organisation_id
			and (p.id = auth.uid() or private.shares_board_with(p.id))
	)
$$;

comment on function private.can_see_organisation(uuid) is 'Whether this is the calling user''s organisation or that of someone sharing a board with them.';

-- Whoever creates a board through the API becomes its owner. (The app server, connected as the
-- table owner without JWT claims, has no auth.uid(): nothing happens.)
create function private.add_board_creator() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
	if auth.uid() is not null then
		insert into public.board_members (board_id, user_id, role) values (new.id, auth.uid(), 'owner');
	end if;
	return new;
end
$$;

create trigger boards_add_creator
after insert on public.boards
for each row execute function private.add_board_creator();

revoke all on all functions in schema private from public;
grant usage on schema private to authenticated, service_role;
grant execute on function private.board_role(text), private.has_board_role(text, text),
	private.shares_board_with(uuid), private.organisation_id(), private.can_see_organisation(uuid)
	to authenticated, service_role;

-- Grants: as Supabase has them by default, so that row-level security is what decides.
-- (On Supabase the schema's default privileges already grant these; granting again changes nothing.)

grant usage on schema public to anon, authenticated, service_role;
grant select, insert, update, delete on
	public.boards, public.addresses, public.board_updates,
	public.organisations, public.board_members
	to anon, authenticated, service_role;
grant select, insert, update, delete on public.profiles to service_role;
-- A user names themselves, but does not choose their organisation or email address: those
-- decide what they may see (confidential notes, invitations by email) and are set by the server.
revoke insert, update on public.profiles from anon, authenticated;
grant select, delete on public.profiles to anon, authenticated;
grant insert (id, display_name), update (display_name) on public.profiles to anon, authenticated;

-- Policies ---------------------------------------------------------------------------------------
-- Only signed-in users get any; anon sees and changes nothing.

-- boards
create policy "Members can read their boards"
on public.boards for select to authenticated
using (private.has_board_role(id, 'viewer'));

create policy "Professionals of an organisation can create boards"
on public.boards for insert to authenticated
with check (private.organisation_id() is not null);

create policy "Owners can change board settings"
on public.boards for update to authenticated
using (private.has_board_role(id, 'owner'))
with check (private.has_board_role(id, 'owner'));

create policy "Owners can delete their boards"
on public.boards for delete to authenticated
using (private.has_board_role(id, 'owner'));

-- addresses
create policy "Members can read the addresses of their boards"
on public.addresses for select to authenticated
using (private.has_board_role(board_id, 'viewer'));

create policy "Editors can add addresses"
on public.addresses for insert to authenticated
with check (private.has_board_role(board_id, 'editor'));

create policy "Editors can change addresses"
on public.addresses for update to authenticated
using (private.has_board_role(board_id, 'editor'))
with check (private.has_board_role(board_id, 'editor'));

create policy "Editors can remove addresses"
on public.addresses for delete to authenticated
using (private.has_board_role(board_id, 'editor'));

-- board_updates: the document's update log; it is appended to, never changed through the API.
create policy "Members can read board updates"
on public.board_updates for select to authenticated
using (private.has_board_role(board_id, 'viewer'));

create policy "Editors can add board updates"
on public.board_updates for insert to authenticated
with check (private.has_board_role(board_id, 'editor'));

-- board_members
create policy "Members can see who is on their boards"
on public.board_members for select to authenticated
using (private.has_board_role(board_id, 'viewer'));

create policy "Owners can add members"
on public.board_members for insert to authenticated
with check (private.has_board_role(board_id, 'owner'));

create policy "Owners can change member roles"
on public.board_members for update to authenticated
using (private.has_board_role(board_id, 'owner'))
with check (private.has_board_role(board_id, 'owner'));

create policy "Owners can remove members"
on public.board_members for delete to authenticated
using (private.has_board_role(board_id, 'owner'));

create policy "Members can leave a board"
on public.board_members for delete to authenticated
using (user_id = auth.uid());

-- profiles
create policy "Users can read their own profile"
on public.profiles for select to authenticated
using (id = auth.uid());

create policy "Members can read the profiles of people on their boards"
on public.profiles for select to authenticated
using (private.shares_board_with(id));

create policy "Users can create their own profile"
on public.profiles for insert to authenticated
with check (id = auth.uid());

create policy "Users can change their own profile"
on public.profiles for update to authenticated
using (id = auth.uid())
with check (id = auth.uid());

-- organisations: managed by the server; users read their own and those of people on their boards.
create policy "Users can read their organisation and those of people on their boards"
on public.organisations for select to authenticated
using (private.can_see_organisation(id));
