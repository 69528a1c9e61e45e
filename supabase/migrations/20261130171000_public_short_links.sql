-- Short links for the printed flyers of the public resident pages: /s/<code> leads to
-- /buurt/<board>/<street>. A code is 7 characters from an alphabet without look-alikes (no 0/o,
-- 1/l/i), drawn at random by the server the first time a street needs one and kept for good, so
-- a flyer printed once keeps working after the board is unpublished and published again. A code
-- says nothing by itself (it is not derived from the board or the street); it leads somewhere
-- only while that street is published (the server answers 404 otherwise, and the policy below
-- hides the row from the API).

create table public.public_short_links (
	code text primary key check (code ~ '^[23456789abcdefghjkmnpqrstuvwxyz]{7}$'),
	board_id text not null references public.boards (id) on delete cascade,
	slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,80}$'),
	created_at timestamptz not null default now(),
	unique (board_id, slug)
);

comment on table public.public_short_links is 'Short links (/s/<code>) of the public street pages, for printed flyers.';

alter table public.public_short_links enable row level security;

revoke all on public.public_short_links from anon, authenticated, service_role;
grant select on public.public_short_links to anon, authenticated, service_role;

create policy "Anyone can resolve the short link of a published street"
on public.public_short_links for select to anon, authenticated
using (
	private.is_published(board_id)
	and exists (
		select 1 from public.street_signals s
		where s.board_id = public_short_links.board_id and s.slug = public_short_links.slug
	)
);

create policy "Members can see the short links of their board"
on public.public_short_links for select to authenticated
using (private.has_board_role(board_id, 'viewer'));
