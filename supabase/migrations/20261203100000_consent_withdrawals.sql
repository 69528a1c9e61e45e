-- Withdrawn consent (AVG): a household whose consent a professional marked withdrawn is erased,
-- by an owner or automatically after a grace period (BUURTBORD_CONSENT_GRACE_DAYS). Until then it
-- is listed here for the board's owners: which address, since when, who marked it. The server
-- keeps the list in step with the board document (src/lib/server/consent.ts) and removes the row
-- when the household is erased or its consent is no longer withdrawn. Nothing personal: the
-- address register's id and the professional who marked it.

create table public.consent_withdrawals (
	board_id text not null references public.boards (id) on delete cascade,
	address_id text not null check (char_length(address_id) between 1 and 200),
	marked_at timestamptz not null default now(),
	-- Null: the server found it (a withdrawal marked before this list existed), or the account is gone.
	marked_by uuid references public.profiles (id) on delete set null,
	primary key (board_id, address_id)
);

comment on table public.consent_withdrawals is 'Households whose consent was withdrawn, waiting for their erasure (automatic after the grace period).';

create index consent_withdrawals_marked_at on public.consent_withdrawals (marked_at);

alter table public.consent_withdrawals enable row level security;

do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		execute format('revoke all on public.consent_withdrawals from %I', r);
	end loop;
end
$$;

grant select on public.consent_withdrawals to authenticated;

-- Owners are responsible for the erasure; nobody writes the list through the API (the server does,
-- from the board document, audited).
create policy "Owners can read which households wait for erasure"
on public.consent_withdrawals for select to authenticated
using (private.has_board_role(board_id, 'owner'));

-- Marking and unmarking a withdrawal are audited (subject: the gesprek id, never content).
alter table public.audit_log drop constraint audit_log_action_check;
alter table public.audit_log add constraint audit_log_action_check check (
	action in (
		'gesprek.open',
		'gesprek.change',
		'household.erase',
		'board.purge',
		'board.retention',
		'member.add',
		'member.role',
		'member.remove',
		'board.export',
		'initiative.approve',
		'initiative.withdraw',
		'theme.approve',
		'theme.withdraw',
		'consent.withdraw',
		'consent.restore'
	)
);
