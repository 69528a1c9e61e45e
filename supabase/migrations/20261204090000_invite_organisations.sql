-- Invitations name only organisations an owner may place newcomers in.
--
-- The app creates invitations for the owner's own organisation, for an organisation of the board's
-- members, or for a new one (src/lib/server/invites.ts), and refuses a new account in any other
-- organisation when the invitation is used (mayCreateAccountIn). Through the Supabase API an owner
-- could still store an invitation naming a stranger's organisation; acceptance made nothing of it,
-- but the row itself claimed a tie between that organisation and the board. Now the policy refuses
-- it, with the same rule as the app.

create function private.may_invite_into(p_board_id text, p_organisation_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
	select
		-- the inviting owner's own organisation
		exists (
			select 1 from public.profiles p
			where p.id = auth.uid() and p.organisation_id = p_organisation_id
		)
		-- an organisation of someone on this board
		or exists (
			select 1
			from public.board_members m
			join public.profiles p on p.id = m.user_id
			where m.board_id = p_board_id and p.organisation_id = p_organisation_id
		)
		-- a new organisation: nobody in it yet, and no confidential notes of its own
		or (
			not exists (select 1 from public.profiles p where p.organisation_id = p_organisation_id)
			and not exists (
				select 1 from public.org_note_updates n where n.organisation_id = p_organisation_id
			)
		)
$$;

comment on function private.may_invite_into(text, uuid) is 'Whether the calling owner may name this organisation in an invitation to this board: their own, one of the board''s members'' organisations, or a new (empty) one.';

revoke all on function private.may_invite_into(text, uuid) from public;
grant execute on function private.may_invite_into(text, uuid) to authenticated, service_role;

drop policy "Owners can invite people to their boards" on public.board_invites;

create policy "Owners can invite people to their boards, into organisations of theirs or new ones"
on public.board_invites for insert to authenticated
with check (
	private.has_board_role(board_id, 'owner')
	and created_by = auth.uid()
	and used_at is null
	and used_by is null
	and private.may_invite_into(board_id, organisation_id)
);
