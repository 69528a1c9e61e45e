-- Free text on the public resident pages is reviewed first. An initiatief's title, description and
-- public contact are typed by professionals and can hold what must never be public ("mevrouw De
-- Vries van nummer 12, net uit het ziekenhuis, doet mee"). The public projection therefore shows an
-- initiatief only once an owner of the board has approved its text, and then the approved text:
-- later edits reach the public pages when an owner approves them again. Status, themes, start
-- date and place are structured and follow the board as before.
--
-- public.initiative_reviews keeps the approved text per initiatief (what the public pages show).
-- The server writes it (the approval is an audited action, checked against the board document);
-- members of the board may read it, nobody writes it through the API.

create table public.initiative_reviews (
	board_id text not null references public.boards (id) on delete cascade,
	initiative_id text not null check (char_length(initiative_id) between 1 and 200),
	title text not null check (char_length(title) <= 200),
	description text not null check (char_length(description) <= 5000),
	public_contact text not null default '' check (char_length(public_contact) <= 200),
	approved_by uuid references public.profiles (id) on delete set null,
	approved_at timestamptz not null default now(),
	primary key (board_id, initiative_id)
);

comment on table public.initiative_reviews is 'The text of each initiatief as an owner approved it for the public resident pages.';

alter table public.initiative_reviews enable row level security;

do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated', 'service_role'] loop
		execute format('revoke all on public.initiative_reviews from %I', r);
	end loop;
end
$$;

grant select on public.initiative_reviews to authenticated;

create policy "Members can read which initiative texts are approved"
on public.initiative_reviews for select to authenticated
using (private.has_board_role(board_id, 'viewer'));

-- Approving and withdrawing a text are audited.
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
		'initiative.withdraw'
	)
);
