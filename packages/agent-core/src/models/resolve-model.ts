import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { AgentCoreError } from '../errors/agent-core-error.js';

/** Credentials and URLs per provider; environment variables fill the gaps. */
export interface ProviderSettings {
  openai?: { apiKey?: string; baseURL?: string };
  anthropic?: { apiKey?: string; baseURL?: string };
  openaiCompatible?: { apiKey?: string; baseURL?: string; name?: string };
  ollama?: { baseURL?: string };
  /** Environment to read (tests inject one). @default process.env */
  env?: Record<string, string | undefined>;
}

const FORMS =
  '"openai:<model>", "anthropic:<model>", "openai-compatible:<model>", "ollama:<model>" or a LanguageModelV3';

/**
 * Turns a model reference into an AI SDK `LanguageModelV3`. Strings name a
 * provider and a model; objects implementing the spec pass through. Keys are
 * read from settings, then the environment (OPENAI_API_KEY,
 * ANTHROPIC_API_KEY, SWITCHBOARD_API_KEY); a missing key is an error naming
 * the variable, never printing any key.
 */
export function resolveModel(
  ref: string | LanguageModelV3,
  settings: ProviderSettings = {},
): LanguageModelV3 {
  if (typeof ref !== 'string') {
    if ((ref as { specificationVersion?: string }).specificationVersion === 'v3') return ref;
    throw new AgentCoreError({
      code: 'CORE_INVALID_OPTIONS',
      message: 'The model object does not implement LanguageModelV3.',
      hint: `Use ${FORMS}.`,
    });
  }
  const env = settings.env ?? process.env;
  const colon = ref.indexOf(':');
  const provider = colon > 0 ? ref.slice(0, colon) : '';
  const modelId = ref.slice(colon + 1);
  if (!provider || !modelId) {
    throw new AgentCoreError({
      code: 'CORE_UNKNOWN_PROVIDER',
      message: `"${ref}" is not a "provider:model" string.`,
      hint: `Use ${FORMS}.`,
    });
  }
  switch (provider) {
    case 'openai': {
      const apiKey = settings.openai?.apiKey ?? env.OPENAI_API_KEY;
      if (!apiKey) throw missingKey('openai', 'OPENAI_API_KEY');
      const baseURL = settings.openai?.baseURL ?? env.OPENAI_BASE_URL;
      // Chat completions: the protocol every OpenAI-compatible server also speaks.
      return createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}) }).chat(modelId);
    }
    case 'anthropic': {
      const apiKey = settings.anthropic?.apiKey ?? env.ANTHROPIC_API_KEY;
      if (!apiKey) throw missingKey('anthropic', 'ANTHROPIC_API_KEY');
      const baseURL = settings.anthropic?.baseURL ?? env.ANTHROPIC_BASE_URL;
      return createAnthropic({ apiKey, ...(baseURL ? { baseURL } : {}) })(modelId);
    }
    case 'openai-compatible': {
      const baseURL = settings.openaiCompatible?.baseURL ?? env.SWITCHBOARD_BASE_URL;
      if (!baseURL) {
        throw new AgentCoreError({
          code: 'CORE_MISSING_BASE_URL',
          message: `Model "${ref}" needs a base URL.`,
          hint: 'Set SWITCHBOARD_BASE_URL (e.g. http://127.0.0.1:8080/v1) or providers.openaiCompatible.baseURL.',
        });
      }
      const apiKey = settings.openaiCompatible?.apiKey ?? env.SWITCHBOARD_API_KEY;
      return createOpenAICompatible({
        name: settings.openaiCompatible?.name ?? 'openai-compatible',
        baseURL,
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true, // otherwise streaming servers report no usage at all
      }).chatModel(modelId);
    }
    case 'ollama': {
      const baseURL =
        settings.ollama?.baseURL ?? env.OLLAMA_BASE_URL ?? 'http://127.0.0.1:11434/v1';
      return createOpenAICompatible({ name: 'ollama', baseURL, includeUsage: true }).chatModel(
        modelId,
      );
    }
    default:
      throw new AgentCoreError({
        code: 'CORE_UNKNOWN_PROVIDER',
        message: `Unknown provider "${provider}" in "${ref}".`,
        hint: `Use ${FORMS}.`,
      });
  }
}

function missingKey(provider: string, variable: string): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_MISSING_API_KEY',
    message: `No API key for ${provider}.`,
    hint: `Set ${variable} or pass providers.${provider}.apiKey.`,
  });
}
