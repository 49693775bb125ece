/** Error codes owned by this area (filled in as it is built). */
export const SESSION_ERROR_CODES = {} as const;
