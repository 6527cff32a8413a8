/** Offsets (into the whole input text) of map keys and sequence items, per container. */
export type PosRecord = Map<object, Map<string, number> | number[]>;

/** Nesting limit for collections; deeper documents are rejected instead of risking the stack. */
export const MAX_DEPTH = 500;

/** Sets obj[key] as an own data property, also for the key "__proto__". */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export const hasOwn = Object.prototype.hasOwnProperty;

/** Maps offsets to 1-based line/column. Line breaks are '\n' (the reader normalizes others). */
export class LineIndex {
  private starts: Int32Array | null = null;
  constructor(private readonly text: string) {}

  private build(): Int32Array {
    const t = this.text;
    let n = 1;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) n++;
    const starts = new Int32Array(n);
    let k = 1;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) starts[k++] = i + 1;
    this.starts = starts;
    return starts;
  }

  /** 0-based index of the line holding an offset. */
  private lineIndex(offset: number): number {
    const s = this.starts ?? this.build();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line of an offset. */
  line(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  position(offset: number): { line: number; column: number } {
    const i = this.lineIndex(offset);
    return { line: i + 1, column: offset - this.starts![i]! + 1 };
  }
}

/** A collection read again with its own records, for a walk that reaches one its reading did not record. */
export interface Subtree {
  value: unknown;
  rec: PosRecord;
}

/**
 * Walks `path` through `value`, returning the recorded offset of the deepest existing node.
 * Property names and array indexes are both accepted as strings or numbers. Where a collection
 * has no record, `expand` (given the collection's recorded offset) may supply a copy with records.
 */
export function locateOffset(value: unknown, rec: PosRecord, rootOffset: number, path: (string | number)[], expand?: (offset: number) => Subtree): number {
  let node = value;
  let off = rootOffset;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') break;
    let offs = rec.get(node);
    if (offs === undefined && expand !== undefined) {
      const sub = expand(off);
      node = sub.value;
      rec = sub.rec;
      offs = rec.get(node as object);
    }
    if (Array.isArray(node)) {
      const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      if (!(i >= 0 && i < node.length)) break;
      if (!Array.isArray(offs) || offs[i] === undefined) break;
      off = offs[i];
      node = node[i];
    } else {
      const key = String(seg);
      if (!hasOwn.call(node, key)) break;
      const o = offs instanceof Map ? offs.get(key) : undefined;
      if (o === undefined) break;
      off = o;
      node = (node as Record<string, unknown>)[key];
    }
  }
  return off;
}
