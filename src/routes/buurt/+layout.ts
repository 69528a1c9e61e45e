// The public resident pages are plain server-rendered HTML: they work without JavaScript on any
// phone, and send no application bundle.
export const csr = false;
