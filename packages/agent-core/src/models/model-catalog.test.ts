import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog.js';
import { resolveModel } from './resolve-model.js';

const settings = { env: { SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9/v1' } };
const ids = (models: readonly { modelId: string }[]) => models.map((model) => model.modelId);

describe('ModelCatalog', () => {
  it('names a model object <provider>:<modelId> and a model string by itself', () => {
    const object = resolveModel('openai-compatible:obj', settings);
    const catalog = new ModelCatalog({
      model: object,
      models: ['openai-compatible:str'],
      fallbackModels: [],
      settings,
    });
    expect(catalog.ids).toEqual(['openai-compatible.chat:obj', 'openai-compatible:str']);
    expect(catalog.defaultId).toBe('openai-compatible.chat:obj');
    expect(ids(catalog.forRun('openai-compatible.chat:obj').models)).toEqual(['obj']);
  });

  it('runs the chosen model, then the fallbacks that are not it; an unknown id on the default', () => {
    const catalog = new ModelCatalog({
      model: 'openai-compatible:a',
      models: ['openai-compatible:b'],
      fallbackModels: ['openai-compatible:b', 'openai-compatible:backup'],
      settings,
    });
    expect(catalog.forRun('openai-compatible:b')).toMatchObject({ id: 'openai-compatible:b' });
    expect(ids(catalog.forRun('openai-compatible:b').models)).toEqual(['b', 'backup']);
    expect(ids(catalog.forRun(undefined).models)).toEqual(['a', 'b', 'backup']);
    expect(catalog.forRun('openai-compatible:elsewhere').id).toBe('openai-compatible:a');
    // A fallback stands in; it is not on offer.
    expect(catalog.offers('openai-compatible:backup')).toBe(false);
    expect(() => catalog.check('openai-compatible:backup')).toThrow(
      expect.objectContaining({ code: 'CORE_MODEL_NOT_ALLOWED' }),
    );
  });
});
