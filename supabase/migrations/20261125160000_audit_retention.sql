-- Audit log and retention.
--
-- The audit log records who opened or changed which gesprek (and who erased a household or when a
-- board's private content was purged), and when. It is append-only for everyone: a trigger refuses
-- UPDATE, DELETE and TRUNCATE, whoever asks, including the table owner the app server connects as.
-- It names a gesprek by its id, never by its content. Owners of a board read its entries through
-- the API; nobody writes through the API (the server writes as the table owner).
--
-- Retention: a board may have an end date and a retention period in days. When both have passed,
-- the server's retention job purges the board's private content and sets purged_at; owners are
-- warned beforehand (purge_warned_at records the one warning mail).

-- Audit log --------------------------------------------------------------------------------------

create table public.audit_log (
	id bigint generated always as identity primary key,
	-- No foreign keys: an entry must outlive the board and the person it names (a foreign key with
	-- "on delete cascade" would have to delete entries, which the trigger below refuses, and would
	-- then block deleting a board or an account).
	board_id text not null check (board_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	actor_id uuid,
	action text not null check (
		action in (
			'gesprek.open',
			'gesprek.change',
			'household.erase',
			'board.purge',
			'board.retention',
			'member.add',
			'member.role',
			'member.remove'
		)
	),
	-- What the action was about: a gesprek or household id, never content.
	subject text check (char_length(subject) <= 200),
	at timestamptz not null default now()
);

comment on table public.audit_log is 'Who opened or changed which gesprek, erased a household or purged a board, and when; append-only.';

create index audit_log_board_at_idx on public.audit_log (board_id, at desc, id desc);
-- The coalescing look-up: the newest entry of one person, action and subject on a board.
create index audit_log_coalesce_idx on public.audit_log (board_id, actor_id, action, subject, at desc);

alter table public.audit_log enable row level security;

create schema if not exists private;

create function private.refuse_audit_log_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
	raise exception 'audit_log is append-only: % is not allowed', tg_op
		using errcode = 'insufficient_privilege';
end
$$;

comment on function private.refuse_audit_log_change() is 'Refuses any change to an audit entry once written.';

create trigger audit_log_append_only
before update or delete on public.audit_log
for each row execute function private.refuse_audit_log_change();

create trigger audit_log_no_truncate
before truncate on public.audit_log
for each statement execute function private.refuse_audit_log_change();

revoke all on function private.refuse_audit_log_change() from public;

-- Only owners read, through the API; nobody writes through it. (Supabase's default privileges
-- would grant everything on a new table to the API roles: take it back first.)
do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		if exists (select 1 from pg_catalog.pg_roles where rolname = r) then
			execute format('revoke all on public.audit_log from %I', r);
		end if;
	end loop;
end
$$;

grant select on public.audit_log to authenticated;
grant select, insert on public.audit_log to service_role;

create policy "Owners can read the audit log of their boards"
on public.audit_log for select to authenticated
using (private.has_board_role(board_id, 'owner'));

-- Retention --------------------------------------------------------------------------------------

alter table public.boards
	add column ends_on date,
	add column retention_days integer not null default 0
		check (retention_days between 0 and 3650),
	add column purge_warned_at timestamptz,
	add column purged_at timestamptz;

comment on column public.boards.ends_on is 'The last day of the project; with retention_days, when private content is purged.';
comment on column public.boards.retention_days is 'Days after ends_on that private content is kept.';
comment on column public.boards.purge_warned_at is 'When owners were mailed that the purge is near (once).';
comment on column public.boards.purged_at is 'When private content was purged by the retention job.';

create index boards_ends_on_idx on public.boards (ends_on) where ends_on is not null and purged_at is null;

-- Owners set the end date and retention period through the API (the existing "Owners can change
-- board settings" policy), but whether a board was warned or purged is the server's to say: a purge
-- cannot be undone by clearing purged_at.
create function private.guard_board_retention_state() returns trigger
language plpgsql
set search_path = ''
as $$
begin
	if current_user in ('anon', 'authenticated') then
		if tg_op = 'INSERT' then
			if new.purge_warned_at is not null or new.purged_at is not null then
				raise exception 'purge_warned_at and purged_at are set by the server'
					using errcode = 'insufficient_privilege';
			end if;
		elsif new.purge_warned_at is distinct from old.purge_warned_at
			or new.purged_at is distinct from old.purged_at then
			raise exception 'purge_warned_at and purged_at are set by the server'
				using errcode = 'insufficient_privilege';
		end if;
	end if;
	return new;
end
$$;

comment on function private.guard_board_retention_state() is 'Keeps the purge state of a board out of reach of the API roles.';

create trigger boards_guard_retention_state
before insert or update on public.boards
for each row execute function private.guard_board_retention_state();

revoke all on function private.guard_board_retention_state() from public;
