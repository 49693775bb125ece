import { describe, expect, it } from 'vitest';
import { ViewList } from './view-list.js';

describe('ViewList', () => {
  it('pushes and reads across tree levels (32, 1024, 32768 boundaries)', () => {
    let list = ViewList.empty<number>();
    for (let i = 0; i < 33_000; i++) list = list.push(i);
    expect(list.size).toBe(33_000);
    for (const i of [0, 31, 32, 1023, 1024, 32_767, 32_768, 32_999]) expect(list.get(i)).toBe(i);
    expect(list.get(33_000)).toBeUndefined();
    expect(list.get(-1)).toBeUndefined();
    expect(list.last()).toBe(32_999);
    expect([...list].every((value, index) => value === index)).toBe(true);
  });

  it('set and push leave the old list unchanged', () => {
    const before = ViewList.from(['a', 'b', 'c']);
    const changed = before.set(1, 'B');
    const longer = before.push('d');
    expect(before.toArray()).toEqual(['a', 'b', 'c']);
    expect(changed.toArray()).toEqual(['a', 'B', 'c']);
    expect(longer.toArray()).toEqual(['a', 'b', 'c', 'd']);
    expect(JSON.stringify(changed)).toBe('["a","B","c"]');
    expect(() => before.set(3, 'x')).toThrow(RangeError);
  });
});
