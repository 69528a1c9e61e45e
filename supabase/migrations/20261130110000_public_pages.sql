-- Public resident pages ("terugkoppeling"): what residents may see of a board, without an account.
--
-- Owners decide per board whether it is published, which streets, and the minimum group size k
-- (never below 5): public.board_publication. The server computes a public projection from the
-- board document whenever it is stored (debounced), already aggregated and suppressed:
-- public.public_boards (name and map centre), public.street_signals (per street: households spoken
-- and theme counts per round, small groups suppressed) and public.public_initiatives (initiatives
-- not marked internal, at the place the owner chose to publish). The projection never holds free
-- text of gesprekken, names, talents, wishes, worries, outcomes per address or a household's
-- location. `anon` may read the projection, and only of published boards; nobody writes it
-- through the API (the server writes as the table owner).

create table public.board_publication (
	board_id text primary key references public.boards (id) on delete cascade,
	published boolean not null default false,
	min_group integer not null default 5 check (min_group between 5 and 1000),
	-- The published streets by name; null means every street of the board.
	streets text[],
	updated_at timestamptz not null default now()
);

comment on table public.board_publication is 'Whether a board has public resident pages, for which streets, and its minimum group size k (>= 5).';

alter table public.board_publication enable row level security;

create table public.public_boards (
	board_id text primary key references public.boards (id) on delete cascade,
	name text not null,
	center_lon double precision not null,
	center_lat double precision not null,
	zoom real not null,
	min_group integer not null check (min_group >= 5),
	-- Changes whenever the projection changes: the public pages' ETag.
	version text not null,
	updated_at timestamptz not null default now()
);

comment on table public.public_boards is 'Public projection: a board''s name and map centre, for its public pages.';

alter table public.public_boards enable row level security;

create table public.street_signals (
	board_id text not null references public.boards (id) on delete cascade,
	slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,80}$'),
	street text not null,
	-- The middle of the street's addresses (a street, never a household).
	lon double precision not null,
	lat double precision not null,
	-- Per round: {round, households (null when fewer than k), few, themes: [{id, name, colour,
	-- count (null when suppressed), shown: 'count' | 'few' | 'hidden'}]}. Already suppressed.
	rounds jsonb not null default '[]'::jsonb,
	primary key (board_id, slug)
);

comment on table public.street_signals is 'Public projection: per published street, households spoken and theme counts per round, suppressed below k.';

alter table public.street_signals enable row level security;

create table public.public_initiatives (
	board_id text not null references public.boards (id) on delete cascade,
	id text not null,
	title text not null,
	description text not null,
	status text not null check (status in ('idee', 'in-voorbereiding', 'loopt', 'afgerond')),
	themes jsonb not null default '[]'::jsonb,
	start_date date,
	public_contact text not null default '',
	-- Where: an exact point only for initiatives placed at a point (a square, a front garden that is
	-- a meeting spot); for one at an address, the street and the street's middle.
	place_street text,
	lon double precision,
	lat double precision,
	exact boolean not null default false,
	-- The published streets it is in or near (slugs).
	street_slugs text[] not null default '{}',
	created_at text not null default '',
	primary key (board_id, id)
);

comment on table public.public_initiatives is 'Public projection: initiatives not marked internal, at their published place.';

alter table public.public_initiatives enable row level security;

create schema if not exists private;

create function private.is_published(p_board_id text) returns boolean
language sql stable security definer
set search_path = ''
as $$
	select coalesce(
		(select p.published from public.board_publication p where p.board_id = p_board_id),
		false
	)
$$;

comment on function private.is_published(text) is 'Whether a board''s public resident pages are on.';

revoke all on function private.is_published(text) from public;
grant usage on schema private to anon, authenticated;
grant execute on function private.is_published(text) to anon, authenticated, service_role;

-- Grants: Supabase's default privileges grant everything on a new table to the API roles; take
-- it back first, then give exactly what the policies below are for.
do $$
declare
	r text;
	t text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		foreach t in array array['board_publication', 'public_boards', 'street_signals', 'public_initiatives'] loop
			execute format('revoke all on public.%I from %I', t, r);
		end loop;
	end loop;
end
$$;

grant select on public.public_boards, public.street_signals, public.public_initiatives
	to anon, authenticated, service_role;
grant select, insert, update on public.board_publication to authenticated;
grant select, insert, update, delete on public.board_publication to service_role;

-- Policies ---------------------------------------------------------------------------------------

create policy "Anyone can read the public page of a published board"
on public.public_boards for select to anon, authenticated
using (private.is_published(board_id));

create policy "Anyone can read the street signals of a published board"
on public.street_signals for select to anon, authenticated
using (private.is_published(board_id));

create policy "Anyone can read the public initiatives of a published board"
on public.public_initiatives for select to anon, authenticated
using (private.is_published(board_id));

create policy "Members can see whether their board is published"
on public.board_publication for select to authenticated
using (private.has_board_role(board_id, 'viewer'));

create policy "Owners can publish their board"
on public.board_publication for insert to authenticated
with check (private.has_board_role(board_id, 'owner'));

create policy "Owners can change the publication of their board"
on public.board_publication for update to authenticated
using (private.has_board_role(board_id, 'owner'))
with check (private.has_board_role(board_id, 'owner'));
