/**
 * The largest file one upload may carry. Its own module because both the server (which registers
 * multipart) and the claim-filing route (which parses a multipart filing) need it, and the server
 * imports every route: a route importing the server would close an import cycle.
 */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
