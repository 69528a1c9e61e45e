-- The item history (public.item_history): members of a board read its rows (viewers too); a row
-- about confidential notes only members of that organisation; nobody writes through the API.
begin;
select plan(9);

-- Seed: see _seed.psql (Olga owns, Erik edits [both Woonwaarts], Vera views [Bindkracht10] "wijk";
-- Otto owns "elders").
\ir _seed.psql
insert into public.item_history (board_id, kind, entity_id, field, op, old_value, new_value, actor_id, organisation_id) values
	('wijk', 'gesprek', 'g1', 'heldBy', 'set', '"Anna"', '"Bram"', '22222222-2222-4222-8222-222222222222', null),
	('wijk', 'gesprek', 'g1', 'notes', 'text', null, null, '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
	('elders', 'gesprek', 'e1', 'heldBy', 'set', '"X"', '"Y"', '44444444-4444-4444-8444-444444444444', null);

set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select id from public.item_history$$, '42501', null,
	'anon cannot read item history');

-- Erik (editor, Woonwaarts): the board's rows and his organisation's confidential row.
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select results_eq(
	$$select board_id, field from public.item_history order by id$$,
	$$values ('wijk', 'heldBy'), ('wijk', 'notes')$$,
	'a member reads the history of their board, with their own organisation''s confidential rows');
select throws_ok(
	$$insert into public.item_history (board_id, kind, entity_id, op) values ('wijk', 'gesprek', 'g1', 'create')$$,
	'42501', null, 'a member cannot add history through the API');
select throws_ok($$update public.item_history set field = 'x'$$, '42501', null,
	'a member cannot change history through the API');
select throws_ok($$delete from public.item_history$$, '42501', null,
	'a member cannot remove history through the API');

-- Vera (viewer, Bindkracht10): the board's rows, not Woonwaarts's confidential row.
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq(
	$$select board_id, field from public.item_history order by id$$,
	$$values ('wijk', 'heldBy')$$,
	'a viewer of another organisation reads the board''s history but not confidential rows');

-- Otto: only his own board.
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq(
	$$select board_id from public.item_history$$,
	$$values ('elders')$$,
	'a non-member reads nothing of another board''s history');

-- Nina: no boards, nothing.
select set_config('request.jwt.claims', '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}', true);
select is((select count(*)::int from public.item_history), 0, 'someone without boards reads nothing');

reset role;
select is(
	(select relrowsecurity from pg_catalog.pg_class where oid = 'public.item_history'::regclass),
	true, 'row-level security is on');

select * from finish();
rollback;
