/** Error codes of model resolution and provider calls. */
export const MODEL_ERROR_CODES = {
  /** A model string names a provider this package does not know. */
  CORE_UNKNOWN_PROVIDER: 'Unknown model provider.',
  /** The provider needs an API key and none was given or set in the environment. */
  CORE_MISSING_API_KEY: 'No API key for the provider.',
  /** An OpenAI-compatible model without a base URL. */
  CORE_MISSING_BASE_URL: 'No base URL for the OpenAI-compatible provider.',
  /** A session asked for a model that is not on the agent's list (`agent.models`). */
  CORE_MODEL_NOT_ALLOWED: 'The model is not one this agent offers.',
  /** The provider account is out of quota or credit. */
  CORE_PROVIDER_QUOTA: 'The provider quota is exhausted.',
  /** The provider rate-limited the request (after retries). */
  CORE_PROVIDER_RATE_LIMIT: 'The provider rate-limited the request.',
  /** The provider rejected the credentials. */
  CORE_PROVIDER_AUTH: 'The provider rejected the API key.',
  /** The provider does not know the model. */
  CORE_MODEL_NOT_FOUND: 'The model does not exist at the provider.',
  /** The prompt is longer than the model's context window. */
  CORE_CONTEXT_LENGTH: 'The prompt exceeds the context window.',
  /** No answer: connection refused or reset, timeout, or a stream that ended early. */
  CORE_PROVIDER_NO_RESPONSE: 'The provider did not answer.',
  /** The model's first answer to a message had no text, no reasoning and no tool call. */
  CORE_PROVIDER_EMPTY_RESPONSE: 'The model answered with nothing.',
  /** The provider failed on its side (5xx, overloaded). */
  CORE_PROVIDER_UNAVAILABLE: 'The provider is unavailable.',
  /** Any other provider failure. */
  CORE_PROVIDER_ERROR: 'The provider call failed.',
} as const;
