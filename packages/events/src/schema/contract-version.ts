/**
 * Major version of the wire contract. It changes only on breaking changes (a
 * rename, a removal, a change of meaning); additive changes are minor package
 * releases and keep `v`. In a file of its own so zod-free code (the client
 * entry) can read it without pulling the schemas.
 */
export const CONTRACT_VERSION = 1 as const;
