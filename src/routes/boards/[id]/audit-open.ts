/**
 * Tells the server that this member opened a gesprek, for the board's audit log (owners read it).
 * Only the id is sent. A failure does not stop anyone from working: the server logs nothing of it.
 */
export function recordGesprekOpen(boardId: string, gesprekId: string): void {
	void fetch(`/boards/${encodeURIComponent(boardId)}/audit`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify({ gesprekId })
	}).catch(() => {});
}
