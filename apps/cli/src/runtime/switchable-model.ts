import type { resolveModel } from '@switchboard/agent-core';

/** An AI SDK language model (`LanguageModelV3`), as `resolveModel` returns it. */
export type LanguageModel = ReturnType<typeof resolveModel>;

/**
 * A language model that forwards every call to the current target, which
 * `switchTo` replaces: `/model` in `chat` changes the model of the running
 * agent and session from the next model call on (the agent reads `provider`
 * and `modelId` at each call, so events, traces and prices follow).
 */
export class SwitchableModel implements LanguageModel {
  readonly specificationVersion = 'v3' as const;
  #target: LanguageModel;
  #ref: string;

  constructor(ref: string, target: LanguageModel) {
    this.#ref = ref;
    this.#target = target;
  }

  /** The `provider:model` string the current target was made from. */
  get ref(): string {
    return this.#ref;
  }

  get provider(): string {
    return this.#target.provider;
  }

  get modelId(): string {
    return this.#target.modelId;
  }

  get supportedUrls(): LanguageModel['supportedUrls'] {
    return this.#target.supportedUrls;
  }

  switchTo(ref: string, target: LanguageModel): void {
    this.#ref = ref;
    this.#target = target;
  }

  doGenerate(
    options: Parameters<LanguageModel['doGenerate']>[0],
  ): ReturnType<LanguageModel['doGenerate']> {
    return this.#target.doGenerate(options);
  }

  doStream(
    options: Parameters<LanguageModel['doStream']>[0],
  ): ReturnType<LanguageModel['doStream']> {
    return this.#target.doStream(options);
  }
}
