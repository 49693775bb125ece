import { createCostOf } from '../usage/price-table.js';
import { liveUsageOf } from '../usage/record-usage.js';
import type { GenerationPurpose, ModelStepInput } from './model-step.js';
import type { RunState } from './run-state.js';

/** What a model call takes from its run, the same for a turn and a compaction summary. */
export type RunModelInput = Pick<
  ModelStepInput,
  | 'emitter'
  | 'purpose'
  | 'models'
  | 'retry'
  | 'idleTimeoutMs'
  | 'signal'
  | 'newId'
  | 'now'
  | 'redaction'
  | 'costOf'
  | 'liveUsage'
>;

/** The run's part of a model call's input: models, retries, ids, clock, redaction, pricing, meter. */
export function runModelInput(run: RunState, purpose: GenerationPurpose): RunModelInput {
  const { agent } = run;
  return {
    emitter: run.emitter,
    purpose,
    models: run.model.models,
    retry: agent.options.retry,
    idleTimeoutMs: agent.options.modelIdleTimeoutMs,
    signal: run.signal,
    newId: (prefix) => agent.newId(prefix),
    now: () => agent.now(),
    redaction: agent.redaction,
    costOf: createCostOf(agent.prices),
    liveUsage: liveUsageOf(run, purpose),
  };
}
