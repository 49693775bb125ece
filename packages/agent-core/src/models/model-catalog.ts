import type { LanguageModelV3 } from '@ai-sdk/provider';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { resolveModel, type ProviderSettings } from './resolve-model.js';

interface CatalogEntry {
  id: string;
  model: LanguageModelV3;
}

/** The models one run calls: the session's model, then the agent's fallbacks. */
export interface RunModels {
  /** The id the run was started with (`run.started.model`, hooks' `model`). */
  readonly id: string;
  /** The model of `id`: the one the run calls first, whose context window its prompt must fit. */
  readonly primary: LanguageModelV3;
  /** Tried in order (retries, then fallbacks): `primary` first. */
  readonly models: readonly LanguageModelV3[];
}

/** What {@link ModelCatalog} is built from (the agent's `model`, `models` and `fallbackModels`). */
export interface ModelCatalogInit {
  model: string | LanguageModelV3;
  /** More model strings sessions may pick. */
  models: readonly string[];
  fallbackModels: readonly (string | LanguageModelV3)[];
  settings: ProviderSettings;
}

/**
 * The models an agent offers its sessions, by id. A model string is its own
 * id (`openai:gpt-4o-mini`); a `LanguageModelV3` object's id is
 * `<provider>:<modelId>`. Every model is resolved once, when the agent is
 * created, so a missing key or an unknown provider fails there, not in the
 * middle of a conversation. The list is closed: a session can only pick an
 * id on it (`CORE_MODEL_NOT_ALLOWED`), so a surface that lets users choose
 * never reaches a model (or a bill) the agent was not configured for.
 */
export class ModelCatalog {
  /** Ids on offer, the default first, without duplicates. */
  readonly ids: readonly string[];
  readonly #resolved = new Map<string, LanguageModelV3>();
  readonly #default: CatalogEntry;
  readonly #fallbacks: readonly CatalogEntry[];

  constructor(init: ModelCatalogInit) {
    const entry = (ref: string | LanguageModelV3): CatalogEntry => {
      const model = resolveModel(ref, init.settings);
      return { id: typeof ref === 'string' ? ref : modelIdOf(model), model };
    };
    this.#default = entry(init.model);
    for (const { id, model } of [this.#default, ...init.models.map(entry)]) {
      if (!this.#resolved.has(id)) this.#resolved.set(id, model);
    }
    this.ids = Object.freeze([...this.#resolved.keys()]);
    this.#fallbacks = init.fallbackModels.map(entry);
  }

  /** The id of the agent's default model. */
  get defaultId(): string {
    return this.#default.id;
  }

  /** True when sessions may pick `id`. */
  offers(id: string): boolean {
    return this.#resolved.has(id);
  }

  /**
   * `id` when sessions may pick it; else `CORE_INVALID_INPUT` (not a string)
   * or `CORE_MODEL_NOT_ALLOWED` (not on the list, which the hint gives).
   */
  check(id: unknown): string {
    if (typeof id !== 'string')
      throw new AgentCoreError({
        code: 'CORE_INVALID_INPUT',
        message: `A model is a model id string, got ${id == null ? String(id) : typeof id}.`,
        hint: `Use one of: ${this.ids.join(', ')}.`,
      });
    if (this.offers(id)) return id;
    throw new AgentCoreError({
      code: 'CORE_MODEL_NOT_ALLOWED',
      message: `Model "${id}" is not one this agent offers.`,
      hint: `Use one of: ${this.ids.join(', ')} (or add it to the agent's models option).`,
      details: { model: id, models: [...this.ids] },
    });
  }

  /**
   * What a run of a session on model `id` calls: that model, then the
   * fallbacks (minus the one it is). An id this agent does not offer (a
   * session handed over from another agent, a stored choice the agent's
   * configuration no longer lists) runs on the default model.
   */
  forRun(id: string | undefined): RunModels {
    const offered = id === undefined ? undefined : this.#resolved.get(id);
    const chosen = id !== undefined && offered ? { id, model: offered } : this.#default;
    const fallbacks = this.#fallbacks.filter((fallback) => fallback.id !== chosen.id);
    return {
      id: chosen.id,
      primary: chosen.model,
      models: [chosen.model, ...fallbacks.map((fallback) => fallback.model)],
    };
  }
}

/** The id of a model object: `<provider>:<modelId>` (`openai.chat:gpt-4o`). */
export function modelIdOf(model: LanguageModelV3): string {
  return `${model.provider}:${model.modelId}`;
}
