import { tick } from 'svelte';

/**
 * After a save the keyboard's place is the save button of the form now shown. Saving leaves the
 * field being typed in (that writes it), and a new item's form is replaced by the saved item's
 * form; either way the focus had fallen back to the page, and a keyboard or screen reader user
 * had to find the form again. The focus is only moved when nothing else has it meanwhile.
 */
export async function focusSaveButton(container: HTMLElement | undefined): Promise<void> {
	await tick();
	const active = document.activeElement;
	if (active && active !== document.body) return;
	container?.querySelector<HTMLButtonElement>('form button[type="submit"]')?.focus();
}
