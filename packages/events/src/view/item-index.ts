import type { ViewList } from './view-list.js';

/** The lookup key of a timeline item: its kind and id (`tool_call:call_1`). */
export function itemKey(item: { readonly kind: string; readonly id?: string }): string | undefined {
  return item.id === undefined ? undefined : `${item.kind}:${item.id}`;
}

/**
 * Finds timeline items by id in O(1). An item never moves once appended, so
 * one append-only map is shared by every state of a session instead of being
 * copied per event. A state only trusts an entry that points inside its own
 * list at an item with that key; when two states branched from a common one
 * (reducing different events onto the same state) and a position was reused,
 * it falls back to a scan, so the answer is always right.
 */
export class ItemIndex {
  readonly #positions = new Map<string, number>();

  /** Position of the item with `key` in `items`, or -1. */
  find(items: ViewList<{ readonly kind: string; readonly id?: string }>, key: string): number {
    const position = this.#positions.get(key);
    if (position === undefined) return -1;
    const item = items.get(position);
    if (item !== undefined && itemKey(item) === key) return position;
    for (let index = items.size - 1; index >= 0; index--) {
      const candidate = items.get(index);
      if (candidate !== undefined && itemKey(candidate) === key) return index;
    }
    return -1;
  }

  /** Records that the item with `key` sits at `position`. */
  remember(key: string, position: number): void {
    this.#positions.set(key, position);
  }
}
