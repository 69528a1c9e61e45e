-- Yjs persistence: each board's document is an append-only log of binary updates.
-- Compaction replaces a run of rows by one merged update, so the log stays short.

create table public.board_updates (
	board_id text not null references public.boards (id) on delete cascade,
	seq bigint generated always as identity,
	data bytea not null,
	created_at timestamptz not null default now(),
	primary key (board_id, seq)
);

comment on table public.board_updates is 'Yjs updates per board; the merge of all rows is the board document.';

alter table public.board_updates enable row level security;
