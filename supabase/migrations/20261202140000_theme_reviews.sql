-- Theme names on the public resident pages are reviewed too. The built-in themes ("eenzaamheid",
-- "groen", …) are shown under their built-in names; a theme a professional added or renamed is free
-- text ("Dhr. Bakker nr 14 valt vaak" is a name one can type) and reaches the public pages only
-- once an owner of the board approved its name, and then with that name: a later rename waits for
-- a new approval. Until then the public pages leave the theme out (its households still count).
--
-- public.theme_reviews keeps the approved name per theme. The server writes it (the approval is an
-- audited action, checked against the board document); members of the board may read it, nobody
-- writes it through the API.

create table public.theme_reviews (
	board_id text not null references public.boards (id) on delete cascade,
	theme_id text not null check (char_length(theme_id) between 1 and 200),
	name text not null check (char_length(name) between 1 and 200),
	approved_by uuid references public.profiles (id) on delete set null,
	approved_at timestamptz not null default now(),
	primary key (board_id, theme_id)
);

comment on table public.theme_reviews is 'The name of each added or renamed theme as an owner approved it for the public resident pages.';

alter table public.theme_reviews enable row level security;

do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		execute format('revoke all on public.theme_reviews from %I', r);
	end loop;
end
$$;

grant select on public.theme_reviews to authenticated;

create policy "Members can read which theme names are approved"
on public.theme_reviews for select to authenticated
using (private.has_board_role(board_id, 'viewer'));

-- Approving and withdrawing a name are audited.
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
		'theme.withdraw'
	)
);
