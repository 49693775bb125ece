/**
 * A persistent (immutable) list: `push` and `set` return a new list and leave
 * the old one untouched, sharing all but one path of a 32-way tree with it.
 * Both cost O(log32 n) — at most 4 small copies for a million items — so a
 * reducer can update one streaming message per delta without copying the
 * whole transcript, and a UI can keep older states (undo, diffing) for free.
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node<T> = readonly (T | Node<T>)[];

/** An immutable, indexable, iterable list with structural sharing. */
export class ViewList<T> implements Iterable<T> {
  static readonly #empty = new ViewList<never>([], 0, 0);

  /** The empty list (shared: it holds nothing). */
  static empty<T>(): ViewList<T> {
    return ViewList.#empty;
  }

  /** A list of `items`, in order. */
  static from<T>(items: Iterable<T>): ViewList<T> {
    let list = ViewList.empty<T>();
    for (const item of items) list = list.push(item);
    return list;
  }

  private constructor(
    private readonly root: Node<T>,
    /** Number of items. */
    readonly size: number,
    /** Levels above the leaves (0: the root is a leaf). */
    private readonly shift: number,
  ) {}

  /** The item at `index`, or undefined outside `0 ≤ index < size`. */
  get(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
    let node: Node<T> = this.root;
    for (let level = this.shift; level > 0; level -= BITS) {
      node = node[(index >>> level) & MASK] as Node<T>;
    }
    return node[index & MASK] as T;
  }

  /** The last item, if any. */
  last(): T | undefined {
    return this.get(this.size - 1);
  }

  /** A list with `value` at `index` (which must exist). */
  set(index: number, value: T): ViewList<T> {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`ViewList.set: index ${index} is outside 0..${this.size - 1}.`);
    }
    return new ViewList(setIn(this.root, this.shift, { index, value }), this.size, this.shift);
  }

  /** A list with `value` appended. */
  push(value: T): ViewList<T> {
    const index = this.size;
    if (index === WIDTH << this.shift) {
      // The tree is full: a new root one level higher, old root as its first child.
      const shift = this.shift + BITS;
      return new ViewList(setIn([this.root], shift, { index, value }), index + 1, shift);
    }
    return new ViewList(setIn(this.root, this.shift, { index, value }), index + 1, this.shift);
  }

  /** The items as a plain array (O(n): for rendering, not per event). */
  toArray(): T[] {
    return [...this];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let index = 0; index < this.size; index++) yield this.get(index) as T;
  }

  /** Serialises as the plain array, so views compare and print as data. */
  toJSON(): T[] {
    return this.toArray();
  }
}

/** Copies the path to `index` only; every other node is shared. */
function setIn<T>(node: Node<T>, shift: number, entry: { index: number; value: T }): Node<T> {
  const { index, value } = entry;
  const copy = node.slice();
  const slot = (index >>> shift) & MASK;
  if (shift === 0) copy[slot] = value;
  else copy[slot] = setIn((node[slot] as Node<T> | undefined) ?? [], shift - BITS, entry);
  return copy;
}
