-- Item history: who changed which field of a gesprek, initiatief, notitie or thema, and when.
--
-- The sync server records a row per field-level change it applied (old and new value; for lists
-- the item added or removed; for free text only that it changed, never the text). A row with an
-- organisation_id is about that organisation's confidential notes: only its members read it.
-- Members of a board read its other rows through the API; nobody writes through the API (the
-- server writes as the table owner). Erasure and retention delete rows of erased content.

create table public.item_history (
	id bigint generated always as identity primary key,
	board_id text not null references public.boards (id) on delete cascade,
	kind text not null check (kind in ('gesprek', 'initiatief', 'notitie', 'thema')),
	entity_id text not null check (char_length(entity_id) <= 200),
	-- The changed field ('heldBy', 'consent.withdrawn', 'followUps.status'); null for create/delete.
	field text check (char_length(field) <= 200),
	op text not null check (op in ('set', 'add', 'remove', 'text', 'create', 'delete')),
	old_value jsonb,
	new_value jsonb,
	actor_id uuid,
	-- Set for a change of an organisation's confidential notes: only that organisation reads it.
	organisation_id uuid,
	at timestamptz not null default now()
);

comment on table public.item_history is 'Field-level changes of board items (who, what, old and new value, when).';

create index item_history_entity_idx on public.item_history (board_id, kind, entity_id, at desc);
create index item_history_deleted_idx on public.item_history (board_id, kind, at desc) where op = 'delete';

alter table public.item_history enable row level security;

do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		if exists (select 1 from pg_catalog.pg_roles where rolname = r) then
			execute format('revoke all on public.item_history from %I', r);
		end if;
	end loop;
end
$$;

grant select on public.item_history to authenticated;

create policy "Members can read the history of their boards, confidential rows only in their own organisation"
on public.item_history for select to authenticated
using (
	private.has_board_role(board_id, 'viewer')
	and (organisation_id is null or organisation_id = private.organisation_id())
);
