// Reader for the subset of YAML that `helm template`, `kubectl kustomize` and most hand-written
// manifests use: block maps and sequences, plain and quoted scalars (also over several lines),
// literal and folded block scalars, simple flow collections (`[a, b]`, `{k: v}`, also over
// several lines) and comments. Whenever it meets anything else (or anything that is
// an error) it gives up and the caller parses the document with the full YAML parser, so it
// never has to produce errors of its own.

import { alwaysString, jsonKey, resolve, K_FLOAT, K_INT, K_MERGE, K_NULL } from './resolve.js';
import { MAX_DEPTH, hasOwn, setKey, type PosRecord } from './positions.js';

const FAIL = -1;
const KEYLIKE = -2;
const MAP = 0;
const SEQ = 1;

// Characters that cannot start a plain scalar in this reader ('-' is handled separately).
const BAD_START = new Uint8Array(128);
for (const ch of '?:,[]{}#&*!|>\'"%@`\t\n ') BAD_START[ch.charCodeAt(0)] = 1;
// Inside a flow collection: characters a plain scalar may not contain here (`#` only after a space).
const FLOW_STOP = new Uint8Array(128);
for (const ch of ':,[]{}#\t\n') FLOW_STOP[ch.charCodeAt(0)] = 1;

export interface FastResult {
  /** undefined for a document without content */
  value: unknown;
  /** offset of the root node, -1 when empty */
  root: number;
  /** index in `FastTable.conts` of the root collection, and the end of this document's collections */
  cont: number;
  contEnd: number;
  /** this document's range in `FastTable.ents` */
  entStart: number;
  entEnd: number;
  /** a map has an array-index-like key or a key given twice, so its keys are not its entries in source order */
  reordered: boolean;
  /** with `keepLast`: each key given twice in a block mapping and the offset of its later entry */
  duplicates?: { key: string; offset: number }[];
  /** made on the first walk that needs it */
  index?: FastIndex;
}

/** Per collection of a document, its entries (in source order), and each collection's number. */
interface FastIndex {
  /** entries of the document's collection j are order[first[j - cont] .. first[j - cont + 1]) */
  first: Int32Array;
  /** offsets into `FastTable.ents` */
  order: Int32Array;
  numbers: Map<object, number>;
}

/**
 * Positions recorded during the single pass, shared by the documents of one input: collections
 * in creation order, and per map entry or sequence item a (collection index, offset) pair in
 * source order. A map's n-th entry is its n-th own key (see `reordered`).
 */
export interface FastTable {
  conts: object[];
  /** pairs; a typed array, so the collector never scans it */
  ents: Int32Array;
  n: number;
}

export function newFastTable(): FastTable {
  return { conts: [], ents: new Int32Array(4096), n: 0 };
}

function addEntry(t: FastTable, cont: number, offset: number): void {
  if (t.n + 2 > t.ents.length) {
    const grown = new Int32Array(t.ents.length * 2);
    grown.set(t.ents);
    t.ents = grown;
  }
  t.ents[t.n++] = cont;
  t.ents[t.n++] = offset;
}

function isIndexLike(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

class FastParser {
  private kind: number[] = [];
  private indent: number[] = [];
  private obj: any[] = [];
  private pos: any[] = [];
  private ci: number[] = [];
  private sp = 0;
  private reordered = false;
  private readonly conts: object[];
  private readonly table: FastTable;
  private pendKind = 0; // 0 none, 1 map value, 2 sequence item
  private pendKey = '';
  private pendIndent = 0;
  private val: unknown = undefined;
  private str = '';
  /** the quoted scalar last scanned went over more than one line */
  private spanned = false;
  /** see nextContent */
  private lineStart = 0;
  private emptyLines = 0;

  private duplicates: { key: string; offset: number }[] | undefined;

  constructor(private readonly src: string, private readonly end: number, private readonly rec: PosRecord | null, table: FastTable, private readonly keepLast: boolean) {
    this.conts = table.conts;
    this.table = table;
  }

  run(start: number): FastResult | null {
    const src = this.src;
    const end = this.end;
    let root: unknown = undefined;
    let rootOff = -1;
    const cont = this.conts.length;
    const entStart = this.table.n;
    let p = start;
    while (p < end) {
      const ls = p;
      while (p < end && src.charCodeAt(p) === 32) p++;
      if (p >= end) break;
      const c = src.charCodeAt(p);
      if (c === 10) { p++; continue; }
      if (c === 35) { p = this.eol(p) + 1; continue; }
      if (c === 9) return null;
      const col = p - ls;
      const dash = c === 45 && this.blankAt(p + 1);
      if (this.pendKind !== 0) {
        if (col > this.pendIndent || (dash && col === this.pendIndent && this.pendKind === 1)) {
          if (this.sp >= MAX_DEPTH) return null;
          const coll = dash ? [] : {};
          this.placePending(coll);
          this.push(dash ? SEQ : MAP, col, coll);
          p = dash ? this.seqItem(p, col) : this.mapEntry(p, col);
          if (p < 0) return null;
          continue;
        }
        this.placePending(null);
      }
      while (this.sp > 0 && this.indent[this.sp - 1] > col) this.sp--;
      if (this.sp === 0) {
        if (rootOff >= 0) return null;
        rootOff = p;
        if (c === 91 || c === 123) {
          // A flow collection as the whole document (JSON under a comment line, which makes it YAML
          // to kubectl); only comments may follow it.
          const e = this.flow(p, -1, 0);
          if (e < 0) return null;
          root = this.val;
          p = this.afterValue(e);
          if (p < 0) return null;
          continue;
        }
        const coll = dash ? [] : {};
        root = coll;
        this.push(dash ? SEQ : MAP, col, coll);
      } else if (this.indent[this.sp - 1] !== col) {
        return null;
      }
      const t = this.sp - 1;
      if (this.kind[t] === SEQ) {
        if (dash) p = this.seqItem(p, col);
        else if (t > 0 && this.kind[t - 1] === MAP && this.indent[t - 1] === col) {
          this.sp--;
          p = this.mapEntry(p, col);
        } else return null;
      } else {
        if (dash) return null;
        p = this.mapEntry(p, col);
      }
      if (p < 0) return null;
    }
    if (this.pendKind !== 0) this.placePending(null);
    const r: FastResult = { value: root, root: rootOff, cont, contEnd: this.conts.length, entStart, entEnd: this.table.n, reordered: this.reordered };
    if (this.duplicates !== undefined) r.duplicates = this.duplicates;
    return r;
  }

  private blankAt(i: number): boolean {
    if (i >= this.end) return true;
    const c = this.src.charCodeAt(i);
    return c === 32 || c === 10 || c === 9;
  }

  private eol(i: number): number {
    const e = this.src.indexOf('\n', i);
    return e < 0 || e > this.end ? this.end : e;
  }

  private push(kind: number, indent: number, coll: object): void {
    const sp = this.sp++;
    this.kind[sp] = kind;
    this.indent[sp] = indent;
    this.obj[sp] = coll;
    this.ci[sp] = this.conts.length;
    this.conts.push(coll);
    if (this.rec !== null) {
      const store = kind === MAP ? new Map<string, number>() : [];
      this.pos[sp] = store;
      this.rec.set(coll, store);
    }
  }

  private placePending(v: unknown): void {
    const t = this.sp - 1;
    if (this.pendKind === 1) setKey(this.obj[t], this.pendKey, v);
    else this.obj[t].push(v);
    this.pendKind = 0;
  }

  /** `- ...` at column col; the top frame is the sequence at col. */
  private seqItem(p: number, col: number): number {
    const src = this.src;
    const t = this.sp - 1;
    if (this.rec !== null) this.pos[t].push(p);
    addEntry(this.table, this.ci[t], p);
    let r = p + 1;
    while (r < this.end && src.charCodeAt(r) === 32) r++;
    if (r >= this.end) { this.pend(2, '', col); return r; }
    const c = src.charCodeAt(r);
    if (c === 10) { this.pend(2, '', col); return r; }
    if (c === 35) { this.pend(2, '', col); return this.eol(r); }
    if (c === 9) return FAIL;
    const col2 = col + (r - p);
    if (c === 45 && this.blankAt(r + 1)) {
      if (this.sp >= MAX_DEPTH) return FAIL;
      const arr: unknown[] = [];
      this.obj[t].push(arr);
      this.push(SEQ, col2, arr);
      return this.seqItem(r, col2);
    }
    const e = this.scalarValue(r, col);
    if (e === KEYLIKE) {
      if (this.sp >= MAX_DEPTH) return FAIL;
      const o = {};
      this.obj[t].push(o);
      this.push(MAP, col2, o);
      return this.mapEntry(r, col2);
    }
    if (e < 0) return FAIL;
    this.obj[t].push(this.val);
    return e;
  }

  private pend(kind: number, key: string, indent: number): void {
    this.pendKind = kind;
    this.pendKey = key;
    this.pendIndent = indent;
  }

  /** `key: ...` at column col; the top frame is the map at col. */
  private mapEntry(p: number, col: number): number {
    const src = this.src;
    const end = this.end;
    const t = this.sp - 1;
    const c = src.charCodeAt(p);
    let key: string;
    let q: number;
    if (c === 34 || c === 39) {
      const e = c === 34 ? this.scanDouble(p) : this.scanSingle(p);
      if (e < 0) return FAIL;
      q = e;
      while (q < end && src.charCodeAt(q) === 32) q++;
      if (src.charCodeAt(q) !== 58 || !this.blankAt(q + 1) || q + 1 < end && src.charCodeAt(q + 1) === 9) return FAIL;
      key = this.str;
    } else {
      if (c >= 128 ? false : BAD_START[c] === 1 || (c === 45 && this.blankAt(p + 1))) return FAIL;
      q = p;
      for (;;) {
        if (q >= end) return FAIL;
        const ch = src.charCodeAt(q);
        if (ch === 58) {
          const n = q + 1 < end ? src.charCodeAt(q + 1) : 10;
          if (n === 32 || n === 10) break;
          if (n === 9) return FAIL;
        } else if (ch === 10 || ch === 9) {
          return FAIL;
        } else if (ch === 35 && src.charCodeAt(q - 1) === 32) {
          return FAIL;
        }
        q++;
      }
      if (!this.plainKey(c, p, q)) return FAIL;
      key = this.str;
    }
    // go-yaml looks for a key's `:` within 1024 characters; the full parser reports it.
    if (q - p > 1024) return FAIL;
    const obj = this.obj[t];
    if (hasOwn.call(obj, key)) {
      if (!this.keepLast) return FAIL;
      // The later entry counts (as in kubectl); told only if the whole document is read here.
      (this.duplicates ??= []).push({ key, offset: p });
      this.reordered = true;
    }
    if (this.rec !== null) this.pos[t].set(key, p);
    if (isIndexLike(key)) this.reordered = true;
    addEntry(this.table, this.ci[t], p);
    let r = q + 1;
    while (r < end && src.charCodeAt(r) === 32) r++;
    if (r >= end) { this.pend(1, key, col); return r; }
    const ch = src.charCodeAt(r);
    if (ch === 10) { this.pend(1, key, col); return r; }
    if (ch === 35) { this.pend(1, key, col); return this.eol(r); }
    const e = this.scalarValue(r, col);
    if (e < 0) return FAIL;
    setKey(obj, key, this.val);
    return e;
  }

  /**
   * A value starting at r that must fit on its line (or be a literal block scalar).
   * Sets this.val; returns the offset to continue from, FAIL, or KEYLIKE when the text is
   * `key: ...` (a map starting inline).
   */
  private scalarValue(r: number, ownerIndent: number): number {
    const src = this.src;
    const end = this.end;
    const c = src.charCodeAt(r);
    if (c === 34 || c === 39) {
      const e = c === 34 ? this.scanDouble(r, ownerIndent) : this.scanSingle(r, ownerIndent);
      if (e < 0) return FAIL;
      this.val = this.str;
      const after = this.afterValue(e);
      // A key is on one line: the full parser reports one that is not.
      return after === KEYLIKE && this.spanned ? FAIL : after;
    }
    if (c === 124 || c === 62) return this.blockScalar(r, ownerIndent, c === 62);
    if (c === 91 || c === 123) {
      const e = this.flow(r, ownerIndent, this.sp);
      if (e < 0) return FAIL;
      return this.afterValue(e);
    }
    // In block context `-`, `:` and `?` start a plain scalar where no blank follows them (`:a:b`).
    if (c < 128 && (c === 45 || c === 58 || c === 63 ? this.blankAt(r + 1) : BAD_START[c] === 1)) return FAIL;
    let q = r;
    for (; q < end; q++) {
      const ch = src.charCodeAt(q);
      if (ch === 10) break;
      if (ch === 58) {
        const n = q + 1 < end ? src.charCodeAt(q + 1) : 10;
        if (n === 32 || n === 10 || n === 9) return KEYLIKE;
      } else if (ch === 35) {
        if (src.charCodeAt(q - 1) === 32) break;
      } else if (ch === 9) {
        return FAIL;
      }
    }
    if (q < end && src.charCodeAt(q) === 10 && this.continues(q, ownerIndent)) return this.multiLinePlain(c, r, q, ownerIndent);
    if (!this.plainValue(c, r, q)) return FAIL;
    return q >= end || src.charCodeAt(q) === 10 ? q : this.eol(q);
  }

  /**
   * From p, a line's start: the offset of the first character other than a space on the next line
   * that has one (the end of the document if none has), that line's start in this.lineStart and
   * the number of lines passed over in this.emptyLines.
   */
  private nextContent(p: number): number {
    const src = this.src;
    const end = this.end;
    let empty = 0;
    for (;;) {
      let k = p;
      while (k < end && src.charCodeAt(k) === 32) k++;
      if (k >= end || src.charCodeAt(k) !== 10) {
        this.lineStart = p;
        this.emptyLines = empty;
        return k;
      }
      empty++;
      p = k + 1;
    }
  }

  /** Does a plain scalar whose line ends at q go on, on a line indented more than ownerIndent? */
  private continues(q: number, ownerIndent: number): boolean {
    const k = this.nextContent(q + 1);
    return k < this.end && k - this.lineStart > ownerIndent && this.src.charCodeAt(k) !== 35;
  }

  /**
   * A plain scalar over several lines (descriptions in generated CustomResourceDefinitions): its
   * lines trimmed and joined by a space, or by a line break for each empty line between them.
   * Sets this.val; returns the end of its last line. A line that might be read otherwise (with a
   * `: `, a comment or a tab, or starting with `- ` or `? `) is left to the full parser.
   */
  private multiLinePlain(c: number, r: number, q: number, ownerIndent: number): number {
    const src = this.src;
    const end = this.end;
    let e = q;
    while (src.charCodeAt(e - 1) === 32) e--;
    let text = src.slice(r, e);
    let last = q;
    let p = q + 1;
    while (p < end) {
      const k = this.nextContent(p);
      if (k >= end) break;
      const first = src.charCodeAt(k);
      if (k - this.lineStart <= ownerIndent || first === 35) break;
      // Quotes, brackets and the like are text here, where the scalar goes on; `- ` and `? ` are
      // too in go-yaml, but read like indicators: the full parser has the last word on them.
      if ((first === 45 || first === 63) && this.blankAt(k + 1)) return FAIL;
      let j = k;
      for (; j < end; j++) {
        const ch = src.charCodeAt(j);
        if (ch === 10) break;
        if (ch === 9 || (ch === 58 && this.blankAt(j + 1)) || (ch === 35 && src.charCodeAt(j - 1) === 32)) return FAIL;
      }
      let le = j;
      while (src.charCodeAt(le - 1) === 32) le--;
      text += (this.emptyLines === 0 ? ' ' : '\n'.repeat(this.emptyLines)) + src.slice(k, le);
      last = j;
      p = j + 1;
    }
    return this.plainText(c, text, r) ? last : FAIL;
  }

  /**
   * Flow collection at p (`[` or `{`); its lines after the first must be indented more than
   * minIndent. Sets this.val; returns the offset after the closing bracket, or FAIL for
   * anything unusual (empty entries, trailing commas, `:` inside plain scalars, single-pair
   * maps in sequences, anchors, tags).
   */
  private flow(p: number, minIndent: number, depth: number): number {
    if (depth >= MAX_DEPTH) return FAIL;
    const src = this.src;
    const isSeq = src.charCodeAt(p) === 91;
    const close = isSeq ? 93 : 125;
    const coll: any = isSeq ? [] : {};
    const ci = this.conts.length;
    this.conts.push(coll);
    let store: any = null;
    if (this.rec !== null) {
      store = isSeq ? [] : new Map<string, number>();
      this.rec.set(coll, store);
    }
    const closeAt = depth === this.sp ? close : 0;
    let q = this.flowSpace(p + 1, minIndent, closeAt);
    if (q < 0) return FAIL;
    if (src.charCodeAt(q) === close) {
      this.val = coll;
      return q + 1;
    }
    for (;;) {
      const at = q;
      // Recorded before the value, so a collection's entries follow its parent's (locateFast relies on it).
      if (isSeq) {
        addEntry(this.table, ci, at);
        q = this.flowValue(q, minIndent, depth);
        if (q < 0) return FAIL;
        coll.push(this.val);
      } else {
        q = this.flowKey(q);
        if (q < 0) return FAIL;
        const key = this.str;
        if (hasOwn.call(coll, key)) return FAIL;
        q = this.flowSpace(q, minIndent);
        if (q < 0) return FAIL;
        const v = src.charCodeAt(q);
        if (v === 44 || v === 125) return FAIL;
        addEntry(this.table, ci, at);
        q = this.flowValue(q, minIndent, depth);
        if (q < 0) return FAIL;
        setKey(coll, key, this.val);
        if (store !== null) store.set(key, at);
        if (isIndexLike(key)) this.reordered = true;
      }
      if (store !== null && isSeq) store.push(at);
      q = this.flowSpace(q, minIndent, closeAt);
      if (q < 0) return FAIL;
      const c = src.charCodeAt(q);
      if (c === close) {
        this.val = coll;
        return q + 1;
      }
      if (c !== 44) return FAIL;
      q = this.flowSpace(q + 1, minIndent);
      if (q < 0) return FAIL;
      const n = src.charCodeAt(q);
      if (n === 44 || n === 93 || n === 125) return FAIL;
    }
  }

  /** Skips spaces, line breaks and comments inside a flow collection. */
  private flowSpace(q: number, minIndent: number, closeAt = 0): number {
    const src = this.src;
    const end = this.end;
    for (;;) {
      if (q >= end) return FAIL;
      const c = src.charCodeAt(q);
      if (c === 32) { q++; continue; }
      if (c === 35) {
        const b = src.charCodeAt(q - 1);
        if (b !== 32 && b !== 10) return FAIL;
        q = this.eol(q);
        continue;
      }
      if (c !== 10) return c === 9 ? FAIL : q;
      const ls = ++q;
      while (q < end && src.charCodeAt(q) === 32) q++;
      if (q >= end) return FAIL;
      const f = src.charCodeAt(q);
      // The outermost closing bracket may sit at the owner's column; anything else must be indented more.
      if (f !== 10 && f !== 35 && q - ls <= minIndent && !(f === closeAt && q - ls === minIndent)) return FAIL;
    }
  }

  /** A flow map key up to and including its `:` (which a space or line break must follow); sets this.str. */
  private flowKey(p: number): number {
    const src = this.src;
    const end = this.end;
    const c = src.charCodeAt(p);
    let q: number;
    if (c === 34 || c === 39) {
      q = c === 34 ? this.scanDouble(p) : this.scanSingle(p);
      if (q < 0) return FAIL;
      while (q < end && src.charCodeAt(q) === 32) q++;
      // In a flow collection go-yaml takes every `:` for the value indicator: `{"a":1}`, as JSON writes it.
      if (q + 1 >= end || src.charCodeAt(q) !== 58 || q - p > 1024) return FAIL;
      return q + 1;
    }
    if (c < 128 && (BAD_START[c] === 1 || c === 45)) return FAIL;
    q = p;
    for (;;) {
      if (q + 1 >= end) return FAIL;
      const ch = src.charCodeAt(q);
      if (ch === 58) {
        const n = src.charCodeAt(q + 1);
        if (n === 32 || n === 10) break;
        return FAIL;
      }
      if (ch < 128 && FLOW_STOP[ch] === 1) return FAIL;
      q++;
    }
    if (q - p > 1024 || !this.plainKey(c, p, q)) return FAIL;
    return q + 1;
  }

  /** A value inside a flow collection; sets this.val. */
  private flowValue(p: number, minIndent: number, depth: number): number {
    const src = this.src;
    const end = this.end;
    const c = src.charCodeAt(p);
    if (c === 91 || c === 123) return this.flow(p, minIndent, depth + 1);
    if (c === 34 || c === 39) {
      const e = c === 34 ? this.scanDouble(p) : this.scanSingle(p);
      if (e < 0) return FAIL;
      this.val = this.str;
      return e;
    }
    if (c < 128 && BAD_START[c] === 1) return FAIL;
    if (c === 45) {
      // As in go-yaml, `-` is an indicator only before a blank: `[tar, -xf, -]` ends in "-".
      const n = src.charCodeAt(p + 1);
      if (this.blankAt(p + 1) || (FLOW_STOP[n] === 1 && n !== 44 && n !== 93 && n !== 125)) return FAIL;
    }
    let q = p;
    for (; q < end; q++) {
      const ch = src.charCodeAt(q);
      if (ch === 10 || ch === 44 || ch === 93 || ch === 125) break;
      if (ch < 128 && FLOW_STOP[ch] === 1) {
        if (ch === 35 && src.charCodeAt(q - 1) === 32) break;
        return FAIL;
      }
    }
    if (!this.plainValue(c, p, q)) return FAIL;
    let e = q;
    while (src.charCodeAt(e - 1) === 32) e--;
    return e;
  }

  /** After a complete value: only spaces and a comment may follow, or `:` for a key. */
  private afterValue(e: number): number {
    const src = this.src;
    let q = e;
    while (q < this.end && src.charCodeAt(q) === 32) q++;
    if (q >= this.end) return q;
    const ch = src.charCodeAt(q);
    if (ch === 10) return q;
    if (ch === 35 && q > e) return this.eol(q);
    if (ch === 58 && this.blankAt(q + 1)) return KEYLIKE;
    return FAIL;
  }

  /** Double-quoted scalar on one line; sets this.str, returns the offset after the closing quote. */
  /** The plain key src[start, end) (trailing spaces dropped) as a JSON key in this.str; false: leave it to the full parser. */
  private plainKey(c: number, start: number, end: number): boolean {
    let e = end;
    while (this.src.charCodeAt(e - 1) === 32) e--;
    if (e - start > 1000) return false;
    const raw = this.src.slice(start, e);
    if (raw === '<<') return false; // merge key
    if (alwaysString(c)) {
      this.str = raw;
      return true;
    }
    let r;
    try {
      r = resolve('', raw, start);
    } catch {
      return false;
    }
    // A float zero key: 0.0 and -0.0 are one key to Go, which the full parser handles.
    if (r.k === K_MERGE || r.k === K_NULL || (r.k === K_INT && r.wide) || (r.k === K_FLOAT && r.v === 0)) return false;
    this.str = jsonKey(r, raw, start);
    return true;
  }

  /** The plain scalar src[start, end) (trailing spaces dropped) as a value in this.val; false: leave it to the full parser. */
  private plainValue(c: number, start: number, end: number): boolean {
    let e = end;
    while (this.src.charCodeAt(e - 1) === 32) e--;
    return this.plainText(c, this.src.slice(start, e), start);
  }

  /** The plain scalar `raw` (first character c, at offset start) as a value in this.val; false: leave it to the full parser. */
  private plainText(c: number, raw: string, start: number): boolean {
    if (alwaysString(c)) {
      this.val = raw;
      return true;
    }
    let res;
    try {
      res = resolve('', raw, start);
    } catch {
      return false;
    }
    if (res.k === K_FLOAT && !Number.isFinite(res.v as number)) return false;
    this.val = res.v;
    return true;
  }

  private scanDouble(p: number, ownerIndent = -1): number {
    const src = this.src;
    const end = this.end;
    let q = p + 1;
    let seg = q;
    let out = '';
    this.spanned = false;
    for (;;) {
      if (q >= end) return FAIL;
      const ch = src.charCodeAt(q);
      if (ch === 34) {
        this.str = seg === p + 1 ? src.slice(seg, q) : out + src.slice(seg, q);
        return q + 1;
      }
      if (ch === 10 || (ch === 92 && q + 1 < end && src.charCodeAt(q + 1) === 10)) {
        q = this.quotedBreak(seg, q, ownerIndent);
        if (q < 0) return FAIL;
        out += this.str;
        seg = q;
        continue;
      }
      if (ch === 92) {
        out += src.slice(seg, q);
        const esc = doubleQuotedEscape(src, q, end);
        if (esc === null) return FAIL;
        out += esc[0];
        q += esc[1];
        seg = q;
        continue;
      }
      q++;
    }
  }

  /** Single-quoted scalar; over several lines only where ownerIndent is given (see foldQuoted). */
  private scanSingle(p: number, ownerIndent = -1): number {
    const src = this.src;
    const end = this.end;
    let q = p + 1;
    let seg = q;
    let out = '';
    this.spanned = false;
    for (;;) {
      if (q >= end) return FAIL;
      const ch = src.charCodeAt(q);
      if (ch === 39) {
        if (q + 1 < end && src.charCodeAt(q + 1) === 39) {
          out += src.slice(seg, q + 1);
          q += 2;
          seg = q;
          continue;
        }
        this.str = out + src.slice(seg, q);
        return q + 1;
      }
      if (ch === 10) {
        q = this.quotedBreak(seg, q, ownerIndent);
        if (q < 0) return FAIL;
        out += this.str;
        seg = q;
        continue;
      }
      q++;
    }
  }

  /**
   * A quoted scalar's text from seg up to a line break at q (or a `\` escaping it), then the
   * break folded (see foldQuoted), in this.str; returns where the scalar goes on, or FAIL. Blanks
   * before a break go, those before an escaped one stay.
   */
  private quotedBreak(seg: number, q: number, ownerIndent: number): number {
    const src = this.src;
    const escaped = src.charCodeAt(q) === 92;
    let e = q;
    if (!escaped) while (e > seg && (src.charCodeAt(e - 1) === 32 || src.charCodeAt(e - 1) === 9)) e--;
    const next = this.foldQuoted(escaped ? q + 1 : q, ownerIndent, escaped);
    if (next >= 0) this.str = src.slice(seg, e) + this.str;
    return next;
  }

  /**
   * A quoted scalar's line break at q, folded as go-yaml folds it: one space (nothing where the
   * break is escaped), or a line break for each empty line that follows. Sets this.str to it;
   * returns where the scalar goes on, after the next line's indentation, which must be deeper
   * than ownerIndent (-1: no next line). FAIL for a tab in the indentation and for the end of
   * the document: the full parser says what is wrong.
   */
  private foldQuoted(q: number, ownerIndent: number, escaped: boolean): number {
    if (ownerIndent < 0) return FAIL;
    const k = this.nextContent(q + 1);
    if (k >= this.end || this.src.charCodeAt(k) === 9 || k - this.lineStart <= ownerIndent) return FAIL;
    const empty = this.emptyLines;
    this.str = empty === 0 ? (escaped ? '' : ' ') : '\n'.repeat(empty);
    this.spanned = true;
    return k;
  }

  /**
   * Block scalar `|` or `>`, `|-` `|+` `>-` `>+` (no explicit indentation indicator). Folded, a
   * line break between two lines becomes a space, or goes where empty lines follow it; a line
   * indented more than the first, whose breaks folding keeps, is left to the full parser.
   */
  private blockScalar(r: number, ownerIndent: number, folded: boolean): number {
    const src = this.src;
    const end = this.end;
    let h = r + 1;
    let chomp = 0;
    const hc = h < end ? src.charCodeAt(h) : 10;
    if (hc === 45) { chomp = -1; h++; } else if (hc === 43) { chomp = 1; h++; }
    let q = h;
    while (q < end && src.charCodeAt(q) === 32) q++;
    if (q < end) {
      const ch = src.charCodeAt(q);
      if (ch !== 10 && !(ch === 35 && q > h)) return FAIL;
    }
    const hdrEnd = this.eol(q);
    if (hdrEnd >= end) {
      if (chomp === 1) return FAIL;
      this.val = '';
      return end;
    }
    const first = hdrEnd + 1;
    let scan = first;
    let maxEmpty = 0;
    let indent = -1;
    while (scan < end) {
      let k = scan;
      while (k < end && src.charCodeAt(k) === 32) k++;
      if (k >= end) {
        if (k > scan) return FAIL;
        break;
      }
      if (src.charCodeAt(k) === 10) {
        if (k - scan > maxEmpty) maxEmpty = k - scan;
        scan = k + 1;
        continue;
      }
      // go-yaml refuses a tab before the indentation is known: the full parser says so.
      if (src.charCodeAt(k) === 9) return FAIL;
      indent = k - scan;
      break;
    }
    if (indent <= ownerIndent) {
      if (chomp === 1 || maxEmpty > 0) return FAIL;
      this.val = '';
      return hdrEnd;
    }
    if (maxEmpty > indent) return FAIL;
    let out = '';
    let any = false;
    let breaks = 0;
    let lastBreak = false;
    let p = first;
    while (p < end) {
      let k = 0;
      while (k < indent && p + k < end && src.charCodeAt(p + k) === 32) k++;
      const e = p + k;
      if (e >= end) {
        if (k > 0) return FAIL;
        break;
      }
      const lead = src.charCodeAt(e);
      if (lead === 10) { breaks++; p = e + 1; continue; }
      if (k < indent && lead === 9) return FAIL;
      if (k < indent) break;
      if (folded && (lead === 32 || lead === 9)) return FAIL;
      const le = this.eol(e);
      if (any && !(folded && breaks > 0)) out += folded ? ' ' : '\n';
      if (breaks > 0) { out += '\n'.repeat(breaks); breaks = 0; }
      out += src.slice(e, le);
      any = true;
      if (le >= end) { lastBreak = false; p = end; break; }
      lastBreak = true;
      p = le + 1;
    }
    if (chomp === 0) {
      if (lastBreak) out += '\n';
    } else if (chomp === 1) {
      if (lastBreak) out += '\n';
      if (breaks > 0) out += '\n'.repeat(breaks);
    }
    this.val = out;
    return p;
  }
}

// go-yaml's escapes of one character, and those followed by hex digits (how many).
const SINGLE_ESCAPES = new Map<string, string>([
  ['0', '\0'], ['a', '\x07'], ['b', '\b'], ['t', '\t'], ['\t', '\t'], ['n', '\n'], ['v', '\v'], ['f', '\f'],
  ['r', '\r'], ['e', '\x1b'], [' ', ' '], ['"', '"'], ["'", "'"], ['\\', '\\'], ['N', '\u0085'], ['_', '\u00a0'],
  ['L', '\u2028'], ['P', '\u2029'],
]);
const HEX_ESCAPE_DIGITS = new Map<string, number>([['x', 2], ['u', 4], ['U', 8]]);

/**
 * The text a double-quoted escape at src[q] (the backslash) stands for in go-yaml, and how many
 * characters it takes; null for one go-yaml refuses.
 */
export function doubleQuotedEscape(src: string, q: number, end = src.length): [text: string, length: number] | null {
  if (q + 1 >= end) return null;
  const letter = src[q + 1]!;
  const single = SINGLE_ESCAPES.get(letter);
  if (single !== undefined) return [single, 2];
  const n = HEX_ESCAPE_DIGITS.get(letter);
  if (n === undefined) return null;
  const hex = src.slice(q + 2, Math.min(q + 2 + n, end));
  if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const cp = parseInt(hex, 16);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return [String.fromCodePoint(cp), 2 + n];
}

/**
 * Parses src[start, end) (a document's content, after its `---` line) or returns null when the
 * document needs the full parser. With `rec`, records key and item offsets per container. With
 * `keepLast`, a key given twice in a block mapping keeps its later value (else the full parser
 * reports it).
 */
export function parseFast(src: string, start: number, end: number, rec: PosRecord | null, table: FastTable = newFastTable(), keepLast = false): FastResult | null {
  const conts = table.conts.length;
  const ents = table.n;
  const r = new FastParser(src, end, rec, table, keepLast).run(start);
  if (r === null) {
    table.conts.length = conts;
    table.n = ents;
  }
  return r;
}

/** Entries (twice the map entries and sequence items) above which a document's walks use an index. */
export const INDEXED_ENTRIES = 8192;

/** Groups a document's entries by collection, in one pass: a walk is then as long as its path. */
function indexEntries(r: FastResult, table: FastTable): FastIndex {
  const { ents, conts } = table;
  const count = r.contEnd - r.cont;
  const first = new Int32Array(count + 1);
  for (let k = r.entStart; k < r.entEnd; k += 2) first[ents[k]! - r.cont + 1]++;
  for (let j = 0; j < count; j++) first[j + 1] += first[j]!;
  const next = first.slice(0, count);
  const order = new Int32Array((r.entEnd - r.entStart) >> 1);
  for (let k = r.entStart; k < r.entEnd; k += 2) order[next[ents[k]! - r.cont]++] = k;
  const numbers = new Map<object, number>();
  for (let j = r.cont; j < r.contEnd; j++) numbers.set(conts[j]!, j);
  return { first, order, numbers };
}

/**
 * Offset of the node at `path` (or of its nearest existing ancestor) from the positions a
 * parse recorded; -1 when the document's key order needs a re-read with full records.
 */
export function locateFast(r: FastResult, table: FastTable, path: readonly (string | number)[]): number {
  if (r.reordered) return -1;
  let node: unknown = r.value;
  let off = r.root;
  if (path.length === 0) return off;
  // A walk scans the entries before the one it looks for: in a large document (a List of many
  // objects) grouping them first keeps thousands of walks from scanning it thousands of times.
  const index = r.entEnd - r.entStart > INDEXED_ENTRIES ? (r.index ??= indexEntries(r, table)) : undefined;
  const { conts, ents } = table;
  let c = r.cont;
  let from = r.entStart;
  for (const seg of path) {
    let nth: number;
    let child: unknown;
    if (Array.isArray(node)) {
      nth = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      if (!(nth >= 0 && nth < node.length)) break;
      child = node[nth];
    } else if (node !== null && typeof node === 'object') {
      const key = String(seg);
      if (!hasOwn.call(node, key)) break;
      nth = 0;
      for (const k in node) {
        if (k === key) break;
        nth++;
      }
      child = (node as Record<string, unknown>)[key];
    } else {
      break;
    }
    let k: number;
    if (index !== undefined) {
      const at = index.first[c - r.cont]! + nth;
      if (at >= index.first[c - r.cont + 1]!) break;
      k = index.order[at]!;
    } else {
      // A collection's entries all come after its parent's entry for it.
      for (k = from; k < r.entEnd; k += 2) {
        if (ents[k] === c && nth-- === 0) break;
      }
      if (k >= r.entEnd) break;
      from = k + 2;
    }
    off = ents[k + 1]!;
    node = child;
    if (child !== null && typeof child === 'object') {
      const i = index !== undefined ? index.numbers.get(child) ?? -1 : conts.indexOf(child, c + 1);
      if (i < 0) break;
      c = i;
    }
  }
  return off;
}
