-- Row-level security of the flyers' short links: anyone resolves the short link of a published
-- street only; members see their board's links; nobody writes them through the API.
begin;
select plan(9);

\ir _seed.psql

insert into public.board_publication (board_id, published, min_group) values
	('wijk', true, 5), ('elders', false, 5);
insert into public.street_signals (board_id, slug, street, lon, lat) values
	('wijk', 'dorpsstraat', 'Dorpsstraat', 5.91, 51.98),
	('elders', 'kerkweg', 'Kerkweg', 5.85, 51.84);
-- "wijk" has a link for a street that is not published (no street signals).
insert into public.public_short_links (code, board_id, slug) values
	('abcd234', 'wijk', 'dorpsstraat'),
	('efgh567', 'wijk', 'stationsweg'),
	('jkmn789', 'elders', 'kerkweg');

select throws_ok($$insert into public.public_short_links (code, board_id, slug) values ('ab0l1oi', 'wijk', 'x')$$,
	'23514', null, 'a code has no look-alike characters');

set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select results_eq($$select code from public.public_short_links$$, $$values ('abcd234')$$,
	'anon resolves only the short links of published streets of published boards');
select throws_ok($$insert into public.public_short_links (code, board_id, slug) values ('pqrs234', 'wijk', 'nep')$$,
	'42501', null, 'anon cannot add a short link');
select throws_ok($$update public.public_short_links set slug = 'kerkweg'$$,
	'42501', null, 'anon cannot redirect a short link');

-- an outsider (owner of "elders"): their own links and the published one
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select code from public.public_short_links order by code$$,
	$$values ('abcd234'), ('jkmn789')$$,
	'a signed-in user sees the published links and those of their own boards');
select throws_ok($$delete from public.public_short_links$$, '42501', null,
	'a signed-in user cannot delete short links');

-- a viewer of "wijk" sees all of its links, the unpublished street's too (for the settings)
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select code from public.public_short_links order by code$$,
	$$values ('abcd234'), ('efgh567')$$,
	'a member sees every short link of their board');
select throws_ok($$update public.public_short_links set code = 'zzzz234' where code = 'abcd234'$$,
	'42501', null, 'a member cannot change a short link');

-- unpublishing hides the link from anon at once
reset role;
update public.board_publication set published = false where board_id = 'wijk';
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select code from public.public_short_links$$,
	'an unpublished board''s short links resolve for nobody');

select * from finish();
rollback;
