-- Row-level security of the public resident pages: anon (and anyone) reads the public projection
-- of published boards only, nobody writes it through the API; owners publish their board.
begin;
select plan(20);

\ir _seed.psql

-- "wijk" is published, "elders" is not; both have a projection (as the server would leave it for
-- a board unpublished a moment ago, the policy must still hide it).
insert into public.board_publication (board_id, published, min_group) values
	('wijk', true, 5), ('elders', false, 5);
insert into public.public_boards (board_id, name, center_lon, center_lat, zoom, min_group, version) values
	('wijk', 'De Wijk', 5.91, 51.98, 15, 5, 'v1'),
	('elders', 'Elders', 5.85, 51.84, 15, 5, 'v1');
insert into public.street_signals (board_id, slug, street, lon, lat, rounds) values
	('wijk', 'dorpsstraat', 'Dorpsstraat', 5.91, 51.98, '[{"round":1,"households":12,"few":false,"themes":[]}]'),
	('elders', 'kerkweg', 'Kerkweg', 5.85, 51.84, '[]');
insert into public.public_initiatives (board_id, id, title, description, status) values
	('wijk', 'i1', 'Geveltuinen', 'Samen tuinieren', 'loopt'),
	('elders', 'i2', 'Verborgen', 'Niet gepubliceerd', 'idee');

-- anon, as PostgREST switches to it for a request with the anon key
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select results_eq($$select board_id from public.public_boards$$, $$values ('wijk')$$,
	'anon reads the public board of a published board only');
select results_eq($$select slug from public.street_signals$$, $$values ('dorpsstraat')$$,
	'anon reads the street signals of a published board only');
select results_eq($$select title from public.public_initiatives$$, $$values ('Geveltuinen')$$,
	'anon reads the public initiatives of a published board only');
select throws_ok(
	$$insert into public.street_signals (board_id, slug, street, lon, lat) values ('wijk', 'nep', 'Nep', 5, 52)$$,
	'42501', null, 'anon cannot add street signals');
select throws_ok($$update public.public_initiatives set title = 'Gekaapt'$$, '42501', null,
	'anon cannot change public initiatives');
select throws_ok($$delete from public.public_boards$$, '42501', null,
	'anon cannot delete the public projection');
select throws_ok($$select * from public.board_publication$$, '42501', null,
	'anon cannot read publication settings');
select throws_ok(
	$$update public.board_publication set published = true where board_id = 'elders'$$,
	'42501', null, 'anon cannot publish a board');
select is_empty($$select id from public.boards$$, 'anon still reads no boards');
select is_empty($$select id from public.addresses$$, 'anon still reads no addresses');
select is_empty($$select data from public.board_updates$$, 'anon still reads no board document');

-- a signed-in outsider (owner of "elders" only): the same public view, nothing more
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select slug from public.street_signals$$, $$values ('dorpsstraat')$$,
	'a signed-in user reads only published street signals, even of their own unpublished board');
select throws_ok(
	$$insert into public.public_initiatives (board_id, id, title, description, status) values ('elders', 'x', 'X', '', 'idee')$$,
	'42501', null, 'a signed-in user cannot write the projection');
with u as (update public.board_publication set published = true where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'an outsider cannot change the publication of another board') from u;

-- an editor of "wijk": reads the setting, cannot change it
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select results_eq($$select published from public.board_publication$$, $$values (true)$$,
	'a member reads whether their board is published');
with u as (update public.board_publication set published = false where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'an editor cannot unpublish') from u;

-- the owner of "elders" publishes it; the owner of "wijk" unpublishes it, and anon sees it go
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
with u as (update public.board_publication set published = true where board_id = 'elders' returning 1)
select is(count(*)::int, 1, 'an owner can publish their board') from u;
select throws_ok(
	$$update public.board_publication set min_group = 3 where board_id = 'elders'$$,
	'23514', null, 'nobody lowers k below 5');
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
with u as (update public.board_publication set published = false where board_id = 'wijk' returning 1)
select is(count(*)::int, 1, 'an owner can unpublish their board') from u;
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select results_eq($$select board_id from public.public_boards$$, $$values ('elders')$$,
	'unpublishing hides a board from anon at once; publishing shows it');

select * from finish();
rollback;
