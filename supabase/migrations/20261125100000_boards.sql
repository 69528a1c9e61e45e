-- Boards and their address register.
-- The address register is bulk reference data that is rarely edited, so it lives in tables rather
-- than in the board's Y.Doc (see docs/architecture.md); pins in the document refer to address ids.

create table public.boards (
	id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	name text not null check (char_length(name) between 1 and 200),
	center_lon double precision not null check (center_lon between -180 and 180),
	center_lat double precision not null check (center_lat between -90 and 90),
	zoom real not null default 15 check (zoom between 0 and 22),
	created_at timestamptz not null default now()
);

comment on table public.boards is 'A shared neighbourhood map; its live content is a Y.Doc in board_updates.';

-- Row-level security is on from the start; with no policies yet, the Supabase API roles
-- (anon, authenticated) see nothing. The app server connects as the table owner.
alter table public.boards enable row level security;

create table public.addresses (
	board_id text not null references public.boards (id) on delete cascade,
	id text not null check (char_length(id) between 1 and 64),
	street text not null check (char_length(street) between 1 and 200),
	house_number integer not null check (house_number > 0),
	house_letter text check (char_length(house_letter) <= 1),
	addition text check (char_length(addition) <= 16),
	postcode text check (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
	city text,
	lon double precision not null check (lon between -180 and 180),
	lat double precision not null check (lat between -90 and 90),
	bag_id text,
	complex_number text,
	primary key (board_id, id)
);

alter table public.addresses enable row level security;
