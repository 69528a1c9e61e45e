-- Row-level security on public.board_invites: owners of a board read, create and revoke its
-- invitations; nobody else sees or touches them, and nobody changes one through the API.
begin;
select plan(20);

-- Seed: see _seed.psql (Olga owns, Erik edits, Vera views "wijk"; Otto owns "elders").
\ir _seed.psql
insert into public.board_invites (id, board_id, token_hash, role, organisation_id, email, created_by) values
	('d1d1d1d1-d1d1-4d1d-8d1d-d1d1d1d1d1d1', 'wijk', 'hash-wijk', 'editor',
		'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', null, '11111111-1111-4111-8111-111111111111'),
	('e2e2e2e2-e2e2-4e2e-8e2e-e2e2e2e2e2e2', 'elders', 'hash-elders', 'viewer',
		'cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'someone@example.org', '44444444-4444-4444-8444-444444444444');

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select id from public.board_invites$$, 'anon cannot read invitations');
select throws_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id) values ('wijk', 'anon-hash', 'owner', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
	'42501', 'new row violates row-level security policy for table "board_invites"',
	'anon cannot create an invitation');
select throws_ok(
	$$update public.board_invites set expires_at = now() + interval '1 year'$$,
	'42501', 'permission denied for table board_invites',
	'anon cannot change an invitation');
with d as (delete from public.board_invites returning 1)
select is(count(*)::int, 0, 'anon cannot revoke invitations') from d;

-- a viewer of "wijk"
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select is_empty($$select id from public.board_invites$$, 'a viewer cannot read the invitations of their board');
select throws_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by) values ('wijk', 'viewer-hash', 'editor', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '33333333-3333-4333-8333-333333333333')$$,
	'42501', 'new row violates row-level security policy for table "board_invites"',
	'a viewer cannot invite');
with d as (delete from public.board_invites where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'a viewer cannot revoke an invitation') from d;

-- an editor of "wijk"
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select is_empty($$select id from public.board_invites$$, 'an editor cannot read invitations');
select throws_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by) values ('wijk', 'editor-hash', 'owner', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '22222222-2222-4222-8222-222222222222')$$,
	'42501', 'new row violates row-level security policy for table "board_invites"',
	'an editor cannot invite (not even to make themselves owner through a second account)');

-- an outsider (owner of another board)
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select board_id from public.board_invites$$, $$values ('elders')$$,
	'an owner of another board sees only that board''s invitations');
select throws_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by) values ('wijk', 'otto-hash', 'owner', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', '44444444-4444-4444-8444-444444444444')$$,
	'42501', 'new row violates row-level security policy for table "board_invites"',
	'an outsider cannot invite anyone to a board they do not own');

-- the owner of "wijk"
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select results_eq($$select board_id, role from public.board_invites$$, $$values ('wijk', 'editor')$$,
	'an owner reads the invitations of their board, and no others');
select lives_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, email, created_by) values ('wijk', 'olga-hash', 'viewer', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'new@example.org', '11111111-1111-4111-8111-111111111111')$$,
	'an owner can invite to their board');
select lives_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by) values ('wijk', 'olga-own-hash', 'editor', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '11111111-1111-4111-8111-111111111111')$$,
	'an owner can invite into their own organisation');
select throws_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by) values ('wijk', 'olga-han-hash', 'editor', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', '11111111-1111-4111-8111-111111111111')$$,
	'42501', 'new row violates row-level security policy for table "board_invites"',
	'an owner cannot name a stranger''s organisation (nobody of it is on the board)');
reset role;
insert into public.organisations (id, name) values ('dddddddd-dddd-4ddd-8ddd-dddddddddddd', 'Nieuw buurthuis');
set local role authenticated;
select lives_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by) values ('wijk', 'olga-new-hash', 'viewer', 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', '11111111-1111-4111-8111-111111111111')$$,
	'an owner can invite into a new organisation that has nobody yet');
select throws_ok(
	$$insert into public.board_invites (board_id, token_hash, role, organisation_id, created_by, used_at) values ('wijk', 'used-hash', 'owner', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '11111111-1111-4111-8111-111111111111', now())$$,
	'42501', 'new row violates row-level security policy for table "board_invites"',
	'an owner cannot create an invitation that is already used, or in someone else''s name');
select throws_ok(
	$$update public.board_invites set expires_at = now() + interval '1 year' where board_id = 'wijk'$$,
	'42501', 'permission denied for table board_invites',
	'not even an owner changes an invitation through the API');
with d as (delete from public.board_invites where board_id = 'elders' returning 1)
select is(count(*)::int, 0, 'an owner cannot revoke another board''s invitation') from d;
with d as (delete from public.board_invites where id = 'd1d1d1d1-d1d1-4d1d-8d1d-d1d1d1d1d1d1' returning 1)
select is(count(*)::int, 1, 'an owner can revoke an invitation of their board') from d;

select * from finish();
rollback;
