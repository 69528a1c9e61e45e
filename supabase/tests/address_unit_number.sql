-- The unit number (VHE) of an address: editors of the board store it, viewers read it, outsiders
-- and anon see nothing (the policies of public.addresses).
begin;
select plan(6);

\ir _seed.psql

select has_column('public', 'addresses', 'unit_number', 'an address has a unit number (VHE)');

-- an editor of "wijk"
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
with u as (update public.addresses set unit_number = '1040012' where board_id = 'wijk' and id = 'a1' returning 1)
select is(count(*)::int, 1, 'an editor can set the unit number of an address on their board') from u;
select throws_ok(
	$$update public.addresses set unit_number = '' where board_id = 'wijk' and id = 'a1'$$,
	'23514', null, 'an empty unit number is refused (null means none)');

-- a viewer of "wijk"
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select unit_number from public.addresses where id = 'a1'$$,
	$$values ('1040012'::text)$$, 'a viewer reads the unit number');
with u as (update public.addresses set unit_number = '999' where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'a viewer cannot change a unit number') from u;

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select is_empty($$select unit_number from public.addresses where board_id = 'wijk'$$,
	'an outsider cannot read the unit numbers of a board they are not on');

select * from finish();
rollback;
