/** MapLibre's own texts (its controls' labels and the map's name) in Dutch. */
export const MAPLIBRE_DUTCH: Record<string, string> = {
	'NavigationControl.ZoomIn': 'Inzoomen',
	'NavigationControl.ZoomOut': 'Uitzoomen',
	'NavigationControl.ResetBearing': 'Noorden boven',
	'AttributionControl.ToggleAttribution': 'Bronvermelding tonen of verbergen',
	'AttributionControl.MapFeedback': 'Feedback over de kaart',
	'CooperativeGesturesHandler.WindowsHelpText': 'Gebruik Ctrl + scrollen om in of uit te zoomen',
	'CooperativeGesturesHandler.MacHelpText': 'Gebruik ⌘ + scrollen om in of uit te zoomen',
	'CooperativeGesturesHandler.MobileHelpText': 'Gebruik twee vingers om de kaart te verplaatsen',
	'Map.Title': 'Kaart'
};
