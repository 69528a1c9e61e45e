-- Differencing over time on the public resident pages: a page read before and after one more
-- gesprek in a street would show what that household said. The server therefore publishes a
-- street's round anew only when at least k households changed in it since its last publication
-- (src/lib/privacy/publish-gate.ts). public.publication_basis keeps, per board, what each published
-- cell was computed from: per household a salted hash of its address and round (the key) and of
-- the key and its themes (the value), never an address or a theme; a household no longer in the
-- cell keeps only its key. It is the server's bookkeeping: no API role reads or writes it.

create table public.publication_basis (
	board_id text primary key references public.boards (id) on delete cascade,
	-- The salt of this board's hashes (random, made by the server).
	salt text not null check (length(salt) >= 16),
	-- Cell ("street\nround") → household key → value hash, or '-' for a household that left.
	cells jsonb not null default '{}'::jsonb check (jsonb_typeof(cells) = 'object'),
	updated_at timestamptz not null default now()
);

comment on table public.publication_basis is 'What each published street round was computed from (salted hashes per household), so that the public pages change only when k households did.';

alter table public.publication_basis enable row level security;

-- Grants: Supabase's default privileges grant everything on a new table to the API roles; take
-- it back. No policies: with row level security on and no grant, no API role reaches a row.
do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		execute format('revoke all on public.publication_basis from %I', r);
	end loop;
end
$$;
