/** Error codes owned by this area (filled in as it is built). */
export const MODEL_ERROR_CODES = {} as const;
