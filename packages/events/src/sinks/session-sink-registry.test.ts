import { describe, expect, it } from 'vitest';
import type { EventSink } from './event-sink.js';
import { SessionSinkRegistry } from './session-sink-registry.js';

const sink = (): EventSink => ({ write: () => {} });

describe('SessionSinkRegistry', () => {
  it('registers, counts, lists in order and ignores duplicates', () => {
    const registry = new SessionSinkRegistry();
    const [a, b, c] = [sink(), sink(), sink()];
    registry.register('s1', a);
    registry.register('s1', b);
    registry.register('s1', a);
    registry.register('s2', c);
    expect(registry.count('s1')).toBe(2);
    expect(registry.count()).toBe(3);
    expect(registry.sinksFor('s1')).toEqual([a, b]);
    expect(registry.sinksFor('nobody')).toEqual([]);
  });

  it('unregisters one sink and clears a session or everything, returning what it removed', () => {
    const registry = new SessionSinkRegistry();
    const [a, b, c] = [sink(), sink(), sink()];
    registry.register('s1', a);
    registry.register('s1', b);
    registry.register('s2', c);
    expect(registry.unregister('s1', a)).toBe(true);
    expect(registry.unregister('s1', a)).toBe(false);
    expect(registry.clear('s1')).toEqual([b]);
    expect(registry.count('s1')).toBe(0);
    expect(registry.clear()).toEqual([c]);
    expect(registry.count()).toBe(0);
  });
});
