-- Issue 10, the opbouwwerker's map: exports are audited, streets are assigned to professionals.

-- An export of a board's gesprekken, initiatieven or street aggregates is an audited action
-- ('board.export'; the subject names what was exported, e.g. 'gesprekken.csv', never content).
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
		'board.export'
	)
);

-- Streets divided among the professionals (phase Voorbereiden): who walks which street. The
-- assignee is a name as gesprekken record "held by" (free text, like heldBy), so coverage per
-- professional can be read next to who actually held the gesprekken. Not personal data of residents.
create table public.street_assignments (
	board_id text not null references public.boards (id) on delete cascade,
	street text not null check (char_length(street) between 1 and 200),
	assignee text not null check (char_length(assignee) between 1 and 200),
	primary key (board_id, street)
);

comment on table public.street_assignments is 'Which professional walks which street of a board.';

alter table public.street_assignments enable row level security;

create policy "Members can read the street assignments of their boards"
	on public.street_assignments for select to authenticated
	using (private.has_board_role(board_id, 'viewer'));

create policy "Editors can assign streets"
	on public.street_assignments for insert to authenticated
	with check (private.has_board_role(board_id, 'editor'));

create policy "Editors can change street assignments"
	on public.street_assignments for update to authenticated
	using (private.has_board_role(board_id, 'editor'))
	with check (private.has_board_role(board_id, 'editor'));

create policy "Editors can remove street assignments"
	on public.street_assignments for delete to authenticated
	using (private.has_board_role(board_id, 'editor'));

grant select, insert, update, delete on public.street_assignments to authenticated;
