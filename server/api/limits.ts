/**
 * Limits on dashboard (tRPC) requests, shared by the route handler and the
 * browser's batch link so the browser never builds a batch the server refuses.
 */

/** Calls in one batched request; a page issues at most a handful at once. */
export const TRPC_MAX_BATCH_SIZE = 20;

/**
 * Bytes of one request body. The largest legitimate input is an edited
 * delivery payload (at most 1 MiB of text, JSON-escaped inside the call).
 */
export const TRPC_MAX_BODY_BYTES = 4 * 1024 * 1024;
