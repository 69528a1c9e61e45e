-- Row-level security on public.street_assignments: members read, editors assign; and the audit
-- log accepts the export action.
begin;
select plan(7);

\ir _seed.psql

insert into public.street_assignments (board_id, street, assignee) values ('wijk', 'Dorpsstraat', 'Anouk');

set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select street from public.street_assignments$$, '42501',
	'permission denied for table street_assignments', 'anon cannot read street assignments');

set local role authenticated;
-- a viewer
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select street, assignee from public.street_assignments$$,
	$$values ('Dorpsstraat', 'Anouk')$$, 'a viewer reads the street assignments of their board');
select throws_ok(
	$$insert into public.street_assignments (board_id, street, assignee) values ('wijk', 'Kerkstraat', 'Joost')$$,
	'42501', 'new row violates row-level security policy for table "street_assignments"',
	'a viewer cannot assign a street');

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select is_empty($$select street from public.street_assignments$$,
	'an outsider cannot read the street assignments of a board they are not on');

-- an editor
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select lives_ok(
	$$insert into public.street_assignments (board_id, street, assignee) values ('wijk', 'Kerkstraat', 'Joost')$$,
	'an editor can assign a street');
with u as (update public.street_assignments set assignee = 'Samira' where street = 'Dorpsstraat' returning 1)
select is(count(*)::int, 1, 'an editor can change an assignment') from u;

reset role;
select lives_ok(
	$$insert into public.audit_log (board_id, actor_id, action, subject) values ('wijk', null, 'board.export', 'straten.csv')$$,
	'the audit log accepts an export');

select * from finish();
rollback;
