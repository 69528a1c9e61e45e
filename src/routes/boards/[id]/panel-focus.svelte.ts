/**
 * The editing panel's focus on closing: the panel's close button (or Escape, or a save that
 * closes it) goes with the panel, and the browser leaves the focus on the page's body, so that a
 * keyboard or screen reader user starts again from the top. It returns where the panel was opened
 * from (a list row, the address picker, the map), or to the map when that is gone. A focus the
 * user has put elsewhere meanwhile is left alone.
 */
export function returnFocusOnClose(
	isOpen: () => boolean,
	fallback: () => HTMLElement | null | undefined
): void {
	let open = false;
	let opener: HTMLElement | null = null;
	let closed = $state(false);
	$effect.pre(() => {
		const now = isOpen();
		if (now && !open) {
			// Before the panel is drawn: the focus is still on what opened it.
			const active = document.activeElement;
			opener = active instanceof HTMLElement && active !== document.body ? active : null;
		}
		if (!now && open) closed = true;
		open = now;
	});
	$effect(() => {
		if (!closed) return;
		closed = false;
		const active = document.activeElement;
		if (active && active !== document.body) return;
		const target = opener?.isConnected ? opener : fallback();
		opener = null;
		target?.focus();
	});
}
