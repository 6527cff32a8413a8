// Full YAML parsing with the `yaml` package (syntax only: every scalar is kept as source text),
// then conversion to a JSON value with go-yaml v2 semantics (resolve.ts), merge keys,
// alias expansion with go-yaml's aliasing limit, and duplicate-key detection.

import type { Alias, CST, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yaml } from '../../engine/yaml-source.js';
import { explainYamlError } from '../../engine/yaml-syntax.js';
import { DocError, K_FLOAT, MERGE_TAG, STR_TAG, jsonKey, jsonValue, resolve } from './resolve.js';
import { doubleQuotedEscape } from './fast.js';
import { MAX_DEPTH, hasOwn, setKey, type PosRecord } from './positions.js';

// Only documents the fast reader declines come here: load the `yaml` package then.
let Y!: typeof import('yaml');

export interface SlowResult {
  value: unknown;
  root: number;
  rec: PosRecord;
}

const OPTIONS = {
  version: '1.1' as const,
  schema: 'failsafe',
  merge: false,
  uniqueKeys: false,
  keepSourceTokens: true,
  prettyErrors: false,
};

// go-yaml v2's limits on alias expansion ("billion laughs").
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

class Converter {
  private decodeCount = 1; // the document node itself
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly anchors = new Map<string, Node>();
  private readonly activeAliases = new Set<Alias>();
  readonly rec: PosRecord = new Map();
  private readonly reported = new Set<number>();
  /** Whether the last key read is a float zero, and per map the JSON key its float zero has. */
  private zeroKey = false;
  private readonly zeroKeys = new WeakMap<object, string>();

  /** When set, a key given twice keeps its last value (kubectl's YAML reading) and is reported here. */
  constructor(private readonly base: number, private readonly text: string, private readonly onDuplicate?: (key: string, offset: number) => void,
    private readonly standIns = false, private readonly back: (offset: number) => number = (o) => o) {}

  private source(n: Scalar): string {
    if (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED') {
      const v = goYamlIndicatedBlock(this.text, (n as { srcToken?: unknown }).srcToken, n.type === 'BLOCK_LITERAL');
      if (v !== null) return v;
    }
    // The `yaml` package folds an escaped line break followed by empty lines otherwise than go-yaml,
    // and keeps go-yaml's `\'` (a quote) as it is written.
    const raw = n.type === 'QUOTE_DOUBLE' ? (n as { srcToken?: { source?: string } }).srcToken?.source : undefined;
    const src = raw !== undefined && (raw.includes('\n') || raw.includes("\\'")) ? goYamlDoubleQuoted(raw) : String(n.source ?? '');
    return this.standIns ? restoreIndicators(src) : src;
  }

  private off(n: { range?: [number, number, number] | null }): number {
    return this.base + this.back(n.range ? n.range[0] : 0);
  }

  private count(n: Node): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 &&
        this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new DocError('document contains excessive aliasing',
        'the aliases (*name) expand to far more data than the document holds; write the values out instead of nesting aliases', this.off(n));
    }
  }

  private enter(n: Node): void {
    this.count(n);
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor && this.aliasDepth === 0) this.anchors.set(anchor, n);
  }

  private target(a: Alias): Node {
    const t = this.anchors.get(a.source);
    if (t === undefined) {
      throw new DocError(`unknown anchor '${a.source}' referenced`,
        `define the anchor (&${a.source}) before the alias that uses it`, this.off(a));
    }
    if (this.activeAliases.has(a)) {
      throw new DocError(`anchor '${a.source}' value contains itself`,
        'an alias cannot refer to a node that contains it', this.off(a));
    }
    return t;
  }

  private withAlias<T>(a: Alias, f: (t: Node) => T): T {
    const t = this.target(a);
    this.activeAliases.add(a);
    this.aliasDepth++;
    try {
      return f(t);
    } finally {
      this.aliasDepth--;
      this.activeAliases.delete(a);
    }
  }

  value(n: Node | null, level: number): unknown {
    if (n === null) return this.emptyValue();
    this.enter(n);
    if (Y.isAlias(n)) return this.withAlias(n, (t) => this.value(t, level));
    if (Y.isScalar(n)) {
      const src = this.source(n);
      return jsonValue(this.resolveScalar(n, src), src, this.off(n));
    }
    if (level > MAX_DEPTH) {
      throw new DocError(`document nests collections more than ${MAX_DEPTH} levels deep`,
        'no Kubernetes object is nested this deeply; check the input', this.off(n));
    }
    if (Y.isMap(n)) {
      const obj: Record<string, unknown> = {};
      const store = new Map<string, number>();
      this.rec.set(obj, store);
      this.fillMap(obj, store, n, level);
      return obj;
    }
    if (Y.isSeq(n)) {
      const arr: unknown[] = [];
      const offs = itemOffsets(n, (o) => this.base + this.back(o));
      this.rec.set(arr, offs);
      // After a value JSON cannot hold, read on: anchors defined later are still defined.
      let failure: DocError | undefined;
      for (const item of n.items) {
        try {
          arr.push(this.value(item as Node | null, level + 1));
        } catch (err) {
          if (!(err instanceof DocError && err.replaceable)) throw err;
          failure ??= err;
          arr.push(null);
        }
      }
      if (failure) throw failure;
      return arr;
    }
    throw new DocError('unsupported YAML node', 'simplify this part of the document', this.off(n));
  }

  private resolveScalar(n: Scalar, src: string) {
    const tag = n.tag ?? (n.type === 'PLAIN' ? '' : STR_TAG);
    return resolve(tag, src, this.off(n));
  }

  /**
   * `unconverted`, shared with the maps merged into this one, holds the entries whose value JSON
   * cannot hold: an error unless a later entry replaces them.
   */
  private fillMap(obj: Record<string, unknown>, store: Map<string, number>, m: YAMLMap, level: number, unconverted?: Map<string, DocError>): void {
    // go-yaml assigns entries in source order, merges included, so a later entry (explicit or
    // merged) overrides an earlier one; only a key written twice in one mapping is a duplicate.
    const own = new Set<string>();
    const failed = unconverted ?? new Map<string, DocError>();
    let keyFailure: DocError | undefined;
    for (const pair of m.items as Pair<Node | null, Node | null>[]) {
      const k = pair.key;
      // go-yaml merges at a `<<` key that is plain and untagged, tagged `!!merge`, or tagged with
      // the non-specific `!` (which it reads as implicit, quoted or not).
      if (k !== null && Y.isScalar(k) && k.source === '<<' && ((k.type === 'PLAIN' && !k.tag) || k.tag === MERGE_TAG || k.tag === '!')) {
        // An anchor on the `<<` key itself is defined (an alias to it is the string "<<"); go-yaml
        // does not decode the key, so it does not count towards the aliasing limit.
        if (k.anchor && this.aliasDepth === 0) this.anchors.set(k.anchor, k);
        this.merge(obj, store, pair.value, level, k, failed);
        continue;
      }
      const keyOff = k !== null ? this.off(k) : this.off(m);
      let key: string;
      try {
        key = this.key(k, keyOff);
      } catch (err) {
        if (!(err instanceof DocError && err.replaceable)) throw err;
        // go-yaml reads the whole document before converting it: the value's anchors count.
        keyFailure ??= err;
        try {
          if (pair.value !== null) this.value(pair.value, level + 1);
        } catch (e) {
          if (!(e instanceof DocError && e.replaceable)) throw e;
        }
        continue;
      }
      // Go's map keys 0.0 and -0.0 are equal: the later one replaces the entry, spelling included.
      let dupOf = own.has(key) ? key : undefined;
      if (this.zeroKey) {
        const prev = this.zeroKeys.get(obj);
        if (prev !== undefined && prev !== key && hasOwn.call(obj, prev)) {
          if (own.has(prev)) dupOf = prev;
          delete obj[prev];
          store.delete(prev);
          failed.delete(prev);
          own.delete(prev);
        }
        this.zeroKeys.set(obj, key);
      }
      let v: unknown = null;
      failed.delete(key);
      try {
        v = pair.value === null ? this.emptyValue() : this.value(pair.value, level + 1);
      } catch (err) {
        if (!(err instanceof DocError && err.replaceable)) throw err;
        failed.set(key, err);
      }
      if (dupOf !== undefined) {
        if (!this.onDuplicate) {
          throw new DocError(`key "${key}" already set in map${dupOf === key ? '' : ` (as "${dupOf}")`}`,
            `remove one of the two entries (kubectl keeps the last${dupOf === key ? '' : '; to it 0.0 and -0.0 are one key'})`, keyOff);
        }
        // A mapping reached through several aliases is read once per alias: report it once.
        if (!this.reported.has(keyOff)) {
          this.reported.add(keyOff);
          this.onDuplicate(key, keyOff);
        }
      }
      own.add(key);
      setKey(obj, key, v);
      store.set(key, keyOff);
    }
    if (keyFailure) throw keyFailure;
    if (!unconverted && failed.size > 0) throw failed.values().next().value!;
  }

  private emptyValue(): null {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    return null;
  }

  private key(n: Node | null, keyOff: number): string {
    this.zeroKey = false;
    if (n === null) {
      this.emptyValue();
      return jsonKey(resolve('', '', keyOff), '', keyOff);
    }
    this.enter(n);
    if (Y.isAlias(n)) return this.withAlias(n, (t) => this.key(t, keyOff));
    if (Y.isScalar(n)) {
      const src = this.source(n);
      const r = this.resolveScalar(n, src);
      this.zeroKey = r.k === K_FLOAT && r.v === 0;
      return jsonKey(r, src, keyOff);
    }
    throw new DocError(`invalid map key: a key must be a scalar, not a ${Y.isMap(n) ? 'map' : 'sequence'}`,
      'use a plain text key', keyOff);
  }

  private merge(obj: Record<string, unknown>, store: Map<string, number>, v: Node | null, level: number, k: Node, unconverted: Map<string, DocError>): void {
    const want = () => new DocError('map merge requires map or sequence of maps as the value',
      'give `<<` an alias to a map (<<: *name) or a list of such aliases', this.off(v ?? k));
    if (v === null) throw want();
    if (Y.isMap(v)) {
      this.enter(v);
      this.fillMap(obj, store, v, level, unconverted);
    } else if (Y.isAlias(v)) {
      this.enter(v);
      this.withAlias(v, (t) => {
        if (!Y.isMap(t)) throw want();
        this.enter(t);
        this.fillMap(obj, store, t, level, unconverted);
      });
    } else if (Y.isSeq(v)) {
      for (let i = v.items.length - 1; i >= 0; i--) {
        const item = v.items[i] as Node | null;
        if (item === null) throw want();
        if (Y.isAlias(item)) {
          this.enter(item);
          this.withAlias(item, (t) => {
            if (!Y.isMap(t)) throw want();
            this.enter(t);
            this.fillMap(obj, store, t, level, unconverted);
          });
        } else if (Y.isMap(item)) {
          this.enter(item);
          this.fillMap(obj, store, item, level, unconverted);
        } else {
          throw want();
        }
      }
    } else {
      throw want();
    }
  }
}

/** Offsets of the items of a sequence: the `-` of block items, the first token of flow items. */
function itemOffsets(seq: YAMLSeq, at: (offset: number) => number): number[] {
  const items = seq.items as (Node | null)[];
  const tok = (seq as { srcToken?: any }).srcToken;
  const out: number[] = [];
  let marks: { offset: number }[] | null = null;
  if (tok && tok.type === 'block-seq') {
    // Items made only of comments carry no `-` and have no node.
    marks = [];
    for (const it of tok.items) {
      const ind = it.start.find((t: { type: string }) => t.type === 'seq-item-ind');
      if (ind) marks.push(ind);
    }
    if (marks.length !== items.length) marks = null;
  }
  for (let i = 0; i < items.length; i++) {
    let o: number | undefined = marks ? marks[i].offset : undefined;
    const item = items[i];
    if (o === undefined) o = item && item.range ? item.range[0] : (seq.range ? seq.range[0] : 0);
    out.push(at(o));
  }
  return out;
}

interface CstToken {
  type: string;
  offset: number;
  source?: string;
  start?: CstToken;
  end?: CstToken[];
}

/** The tokens of a document's syntax tree that `keep` selects, in source order. */
function cstSelect(root: unknown, keep: (t: CstToken) => boolean): CstToken[] {
  const out: CstToken[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    const t = x as CstToken;
    if (keep(t)) out.push(t);
    for (const v of Object.values(t)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Quoted scalars and flow collections of a document's syntax tree, in source order. */
function cstTokens(root: unknown): { quoted: CstToken[]; flows: CstToken[] } {
  const tokens = cstSelect(root, (t) => t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar' || t.type === 'flow-collection');
  return { quoted: tokens.filter((t) => t.type !== 'flow-collection'), flows: tokens.filter((t) => t.type === 'flow-collection') };
}

function quoteClosed(src: string): boolean {
  const q = src.charCodeAt(0);
  for (let i = 1; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (q === 34 && c === 92) i++;
    else if (c === q) {
      if (q === 39 && src.charCodeAt(i + 1) === 39) i++;
      else return i === src.length - 1;
    }
  }
  return false;
}

interface Explained {
  message: string;
  hint: string;
  offset: number;
}

/**
 * A line before the error that was meant as a `---` separator (`----`, `-- `, ` ---`, `---x`):
 * not one to kubectl either, so the documents on both sides read as one broken document.
 */
function mistypedSeparator(original: string, errorAt: number): Explained | null {
  const re = /^(?:-{2}|-{4,}|---[^\s-].*| +-{3,}) *\r?$/gm;
  for (let m = re.exec(original); m !== null && m.index <= errorAt; m = re.exec(original)) {
    // Taken for the cause only where the error is, on its line or the next: elsewhere (in a block
    // scalar, in quotes) such a line is text.
    const lineEnd = original.indexOf('\n', m.index);
    const nextEnd = lineEnd < 0 ? original.length : original.indexOf('\n', lineEnd + 1);
    if (original.slice(0, m.index).trim() === '' || errorAt > (nextEnd < 0 ? original.length : nextEnd)) continue;
    const line = m[0].replace(/\r$/, '');
    const kubectl = /^---/.test(line) ? ' (kubectl: "invalid Yaml document separator")' : '';
    return { message: `"${line}" is no document separator${kubectl}, so the objects before and after it read as one broken document`, hint: 'write exactly --- on a line of its own between two objects', offset: m.index };
  }
  return null;
}

/**
 * Text after the document's top-level value has ended (its first line indented further than the
 * next, or two JSON objects without `---` after a comment): go-yaml stops reading there and
 * kubectl drops the rest without a word, so podsec names it rather than judge half an object.
 */
function droppedTail(original: string, e: { code: string; message: string; pos: [number, number] }, rootRange: readonly number[] | null | undefined, back: (o: number) => number, lineOf: (o: number) => number): Explained | null {
  if (e.code !== 'UNEXPECTED_TOKEN' || !/ at node end\b/.test(e.message) || !rootRange || rootRange[1]! > e.pos[0]) return null;
  const offset = back(e.pos[0]);
  const columnOf = (o: number): number => o - original.lastIndexOf('\n', o - 1) - 1;
  const rootColumn = columnOf(back(rootRange[0]!));
  if (rootColumn > columnOf(offset)) {
    const lastRead = lineOf(original.slice(0, offset).trimEnd().length);
    return {
      message: `this line starts further left than the document's first line (column ${rootColumn + 1}): kubectl reads the document only up to line ${lastRead} and silently drops the rest`,
      hint: 'start the top-level keys of the document in column 1 (remove the indentation of its first lines)',
      offset,
    };
  }
  return {
    message: `the document's top-level value ends before this: kubectl reads the document only up to here and silently drops the rest`,
    hint: original[offset] === ':' ? 'put a space after the ":": a key ends at ": "' : 'put a line with --- between two objects; otherwise remove or quote the text from here on',
    offset,
  };
}

const FLOW_END = /^Flow (sequence|map) (in block collection must be sufficiently indented and )?(must )?end with a [\]}]/;

/**
 * The `yaml` package reports an unclosed quote at the end of the text it swallowed, and an unclosed
 * flow collection as an indentation problem where the document ends: point at the opening instead.
 */
function unclosedError(chunk: string, root: unknown, errors: readonly { code: string; message: string; pos: [number, number] }[]): Explained | null {
  const quoteErrors = errors.filter((e) => e.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(e.message));
  if (quoteErrors.length === 0 && !FLOW_END.test(errors[0].message)) return null;
  const { quoted, flows } = cstTokens(root);
  // An open quote swallows everything after it, so later errors are its consequences.
  for (const t of quoted) {
    if (t.offset > errors[0].pos[0]) break;
    if (quoteClosed(t.source ?? '')) continue;
    const end = t.offset + (t.source ?? '').length;
    if (!quoteErrors.some((e) => e.pos[0] === end)) continue;
    const q = t.type === 'double-quoted-scalar' ? '"' : "'";
    return {
      message: `the ${q === '"' ? 'double' : 'single'} quote (${q}) opened here is not closed`,
      hint: `add the closing ${q} where the value ends (until then the lines after it are read as part of the value); ` +
        (q === '"' ? 'write a " inside the value as \\"' : "write a ' inside the value as ''"),
      offset: t.offset,
    };
  }
  if (!FLOW_END.test(errors[0].message)) return null;
  let scanned = -1;
  for (const t of flows) {
    const open = t.start?.source;
    if (t.offset < scanned || (open !== '[' && open !== '{')) continue;
    if (t.end?.some((x) => x.source === (open === '[' ? ']' : '}'))) continue;
    const r = scanFlow(chunk, t.offset);
    if (r.closedAt >= 0) {
      // Closed further down, on a line indented too little: the indentation message is right.
      scanned = r.closedAt;
      continue;
    }
    return unclosedFlow(r);
  }
  return null;
}

interface FlowScan {
  /** offset of the bracket that closes the scanned collection, or -1 */
  closedAt: number;
  /** offsets of the brackets still open, outermost first */
  open: number[];
  /** the bracket that closes the innermost open one with the wrong kind, or -1 */
  wrongClose: number;
  text: string;
}

/** Matches brackets from text[from] (a `[` or `{`) to the end of the document, skipping quotes and comments. */
function scanFlow(text: string, from: number): FlowScan {
  const open: number[] = [];
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
    const tokenStart = prev === 32 || prev === 9 || prev === 10 || prev === 44 || prev === 58 || prev === 91 || prev === 123;
    if ((c === 34 || c === 39) && tokenStart) {
      const q = c;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (q === 34 && d === 92) i++;
        else if (d === q) {
          if (q === 39 && text.charCodeAt(i + 1) === 39) i++;
          else break;
        }
      }
    } else if (c === 35 && (prev === 32 || prev === 9 || prev === 10)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === 91 || c === 123) {
      open.push(i);
    } else if (c === 93 || c === 125) {
      const top = open[open.length - 1];
      if (text.charCodeAt(top) !== c - 2) return { closedAt: -1, open, wrongClose: i, text };
      open.pop();
      if (open.length === 0) return { closedAt: i, open, wrongClose: -1, text };
    }
  }
  return { closedAt: -1, open, wrongClose: -1, text };
}

function unclosedFlow(r: FlowScan): Explained {
  const at = r.open[r.open.length - 1];
  const seq = r.text.charCodeAt(at) === 91;
  const [o, c, what] = seq ? ['[', ']', 'list'] : ['{', '}', 'mapping'];
  const outer = r.open.length === 2 ? `; the "${r.text[r.open[0]]}" around it is not closed either`
    : r.open.length > 2 ? `; the ${r.open.length - 1} brackets around it are not closed either` : '';
  if (r.wrongClose >= 0) {
    return {
      message: `"${o}" is not closed: the ${what} opened here meets "${r.text[r.wrongClose]}" before its "${c}"`,
      hint: `add "${c}" where the ${what} ends, before the "${r.text[r.wrongClose]}"`,
      offset: at,
    };
  }
  return {
    message: `"${o}" is not closed: the ${what} opened here has no "${c}" before the end of the document`,
    hint: `add "${c}" where the ${what} ends${outer}`,
    offset: at,
  };
}

// Stand-ins (same length) for characters the `yaml` package reads as indicators where go-yaml
// reads them as part of a plain scalar; scalar sources get the original character back.
const AS_DASH = '\uE000';
const AS_COLON = '\uE001';
const FLOW_INDICATOR = /[-:][,[\]{}]/;

/**
 * Offsets, in `chunk`, of the `-` and `:` that libyaml (go-yaml) reads as plain scalar text but
 * the `yaml` package as indicators: inside flow collections, `-` followed by `,` `]` `}` `[` `{`
 * starts a scalar (`[tar, -xf, -]`), and a `:` so followed ends no key (`[a:]` is `["a:"]`).
 * go-yaml takes `-` as an indicator, and ends a plain scalar at `:`, only before a blank.
 */
function plainIndicators(chunk: string, root: unknown): number[] {
  const toks = cstSelect(root, (t) => typeof t.source === 'string' && typeof t.offset === 'number');
  const out: number[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const next = chunk.charCodeAt(t.offset + 1);
    // , [ ] { }: only inside a flow collection does the `yaml` package stop before these.
    if (next !== 44 && next !== 91 && next !== 93 && next !== 123 && next !== 125) continue;
    if (t.type === 'seq-item-ind') {
      out.push(t.offset);
    } else if (t.type === 'map-value-ind') {
      // A plain scalar goes on over spaces within its line: `[a :]` is `["a :"]`.
      let j = i - 1;
      let at = t.offset;
      if (j >= 0 && toks[j].type === 'space' && toks[j].offset + (toks[j].source ?? '').length === at) at = toks[j--].offset;
      const prev = toks[j];
      if (prev !== undefined && prev.type === 'scalar' && prev.offset + (prev.source ?? '').length === at) out.push(t.offset);
    }
  }
  return out;
}

/**
 * The document as go-yaml tokenizes it, `plainIndicators` replaced by stand-ins (`fixed` is null
 * when there are none), with the syntax tokens of that text, so that it is not parsed again.
 */
function libyamlFlowScalars(chunk: string): { fixed: string | null; tokens: CST.Token[] } {
  let tokens = [...new Y.Parser().parse(chunk)];
  if (!FLOW_INDICATOR.test(chunk) || chunk.includes(AS_DASH) || chunk.includes(AS_COLON)) return { fixed: null, tokens };
  let cur = chunk;
  // Each pass finds what the previous reading showed; a replacement can change later tokens.
  for (let pass = 0; pass < 8; pass++) {
    const fix = plainIndicators(cur, tokens);
    if (fix.length === 0) break;
    const chars = cur.split('');
    for (const o of fix) chars[o] = chars[o] === '-' ? AS_DASH : AS_COLON;
    cur = chars.join('');
    tokens = [...new Y.Parser().parse(cur)];
  }
  return { fixed: cur === chunk ? null : cur, tokens };
}

interface GoYamlText {
  /** the document with go-yaml's token ends made visible to the `yaml` package */
  text: string;
  /** maps offsets in `text` back to the document, one layer per round */
  layers: ((o: number) => number)[];
  /** the first `[` or `]` (else `,`) that go-yaml reads as part of a tag: the likely cause of a later syntax error */
  swallowed: Explained | null;
}

const GO_TOKEN_ENDS = /[&*][0-9A-Za-z_-]+[:?]|![0-9A-Za-z_\-;/?:@&=+$.!~*'()%]*[,[\]]|!<!!?>/;

/**
 * Where go-yaml ends a token otherwise than the `yaml` package, the text changed so that the
 * latter reads it as go-yaml does: an anchor or alias name ends at `:` or `?` (`*a: 1`,
 * `&a:b x`; a space goes in, in flow context after the `:` too); in flow context `?` and `:`
 * starting a token are always indicators (`{?k}`, `[:a]`; a space goes after them); `,` `[` `]`
 * right after a tag belong to the tag (`[!x, a]`; they become `~`, so the tag stays unknown).
 * null when there is nothing to change.
 */
function goYamlTokenEnds(original: string): GoYamlText | null {
  const flowIndicator = (original.includes('[') || original.includes('{')) && /[\s[{,][?:][^\s]/.test(original);
  if (!flowIndicator && !GO_TOKEN_ENDS.test(original) && !/!![^\s%]*%/.test(original)) return null;
  let cur = original;
  const layers: ((o: number) => number)[] = [];
  const toOriginal = (o: number): number => layers.reduceRight((at, f) => f(at), o);
  let swallowed: Explained | null = null;
  let swallowedComma = false;
  for (let round = 0; round < 8; round++) {
    const ins: Insertions = [];
    const chars = cur.split('');
    // The `yaml` package ends a quoted scalar at a line indented too little and reads the rest as
    // tokens; go-yaml reads on to the closing quote, so what lies before it is text, left alone.
    let quotedUntil = -1;
    for (const leaf of scanLeaves([...new Y.Parser().parse(cur)])) {
      const { type, source, offset, flow } = leaf;
      if (offset < quotedUntil) continue;
      if (QUOTED.has(type)) {
        quotedUntil = quotedEnd(cur, offset);
        continue;
      }
      if (type === 'anchor' || type === 'alias') {
        const name = /^[0-9A-Za-z_-]*/.exec(source.slice(1))![0];
        const at = offset + 1 + name.length;
        const c = source[1 + name.length];
        if (name === '' || (c !== ':' && c !== '?')) continue;
        ins.push([at, 1]);
        if (flow && c === ':' && !/^[ \t\n\r]?$/.test(cur[at + 1] ?? '')) ins.push([at + 1, 1]);
      } else if (type === 'scalar' && flow && (source[0] === '?' || source[0] === ':')) {
        ins.push([offset + 1, 1]);
      } else if (type === 'tag' && (source === '!<!>' || source === '!<!!>')) {
        // go-yaml reads the verbatim tags `!<!>` and `!<!!>` as the tags `!` (a `<<` key with it
        // merges) and `!!` (unknown), which the `yaml` package refuses: same-length stand-ins.
        const stand = source === '!<!>' ? '!   ' : '!<xx>';
        for (let i = 1; i < stand.length; i++) chars[offset + i] = stand[i]!;
      } else if (type === 'tag' && source.startsWith('!!') && !decodesAsUri(source.slice(2)) && !tagEscapeError(source, 0, source.length)) {
        // go-yaml checks a tag's %-escapes only loosely (`!!%C0%80` is an unknown tag to it), where
        // the `yaml` package refuses a `!!` tag that is not strict UTF-8: keep it unknown to both.
        for (let i = 2; i < source.length; i++) if (source[i] === '%') chars[offset + i] = 'x';
      } else if (type === 'tag' && !source.startsWith('!<')) {
        let e = offset + 1;
        while (GO_TAG_CHAR.test(cur[e] ?? '')) e++;
        if (e <= offset + source.length || !/^[ \t\n\r]?$/.test(cur[e] ?? '')) continue;
        for (let i = offset + source.length; i < e; i++) {
          const c = cur[i];
          if (c !== ',' && c !== '[' && c !== ']') continue;
          chars[i] = '~';
          // A bracket taken in breaks the structure sooner than a comma.
          if (swallowed === null || (c !== ',' && swallowedComma)) {
            swallowedComma = c === ',';
            swallowed = {
              message: `tag "${cur.slice(offset, e)}" takes in the "${c}" after it: kubectl reads ",", "[" and "]" right after a tag as part of the tag`,
              hint: `put a space between the tag and the "${c}"`,
              offset: toOriginal(i),
            };
          }
        }
      }
    }
    const replaced = chars.join('');
    if (ins.length === 0 && replaced === cur) break;
    ins.sort((a, b) => a[0] - b[0]);
    cur = withSpaces(replaced, ins);
    if (ins.length > 0) layers.push(originalOffsets(ins));
  }
  return cur === original ? null : { text: cur, layers, swallowed };
}

function decodesAsUri(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** What the `yaml` package's parseDocument does, from tokens already parsed. */
function composeDocument(tokens: CST.Token[], source: string): Document.Parsed {
  let doc: Document.Parsed | undefined;
  for (const next of new Y.Composer(OPTIONS).compose(tokens, true, source.length)) {
    if (!doc) {
      doc = next;
    } else {
      doc.errors.push(new Y.YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  // compose(…, true) always ends with a document, empty if the source is.
  // go-yaml's key length limit counts characters, not UTF-16 units, and holds in { } too: goYamlKeyLengthError.
  doc!.errors = doc!.errors.filter((e) => !goYamlComment(source, e) && e.code !== 'KEY_OVER_1024_CHARS' && !goYamlQuoteEscape(e));
  return doc!;
}

/**
 * go-yaml starts a comment at a `#` wherever a token may start, so one right after a closing
 * quote, a flow indicator or a block scalar's header is a comment (`"x"#c`, `[1,#c`, `|#c`),
 * where the `yaml` package wants a space before it.
 */
function goYamlComment(source: string, e: { code: string; message: string; pos: [number, number] }): boolean {
  return e.code === 'MISSING_CHAR' && e.message.startsWith('Comments must be separated') &&
    source.charCodeAt(e.pos[0]) === 35 && /["'[\]{},:|>+\-0-9]/.test(source[e.pos[0] - 1] ?? '');
}

/** go-yaml reads `\'` in double quotes as a quote; YAML 1.2 (and so the `yaml` package) refuses it. */
function goYamlQuoteEscape(e: { code: string; message: string }): boolean {
  return e.code === 'BAD_DQ_ESCAPE' && e.message.startsWith("Invalid escape sequence \\'");
}

/**
 * Escapes that YAML 1.2 (and so the `yaml` package) accepts in double quotes but go-yaml refuses
 * ("found unknown escape character", "found invalid Unicode character escape code"): `\/`, and
 * `\u` or `\U` naming a UTF-16 surrogate (go-yaml has no surrogate pairs: `\ud83d\ude00` fails).
 */
function goYamlEscapeError(chunk: string, tokens: CST.Token[]): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'double-quoted-scalar')) {
    const src = chunk.slice(t.offset, t.offset + (t.source ?? '').length);
    for (let i = 1; i < src.length - 1; i++) {
      if (src.charCodeAt(i) !== 92) continue;
      const e = src[i + 1];
      if (e === '/') {
        return { message: 'invalid escape sequence \\/', hint: 'write / without the backslash: kubectl does not accept \\/ in YAML', offset: t.offset + i };
      }
      const hex = e === 'u' ? src.slice(i + 2, i + 6) : e === 'U' ? src.slice(i + 2, i + 10) : '';
      const cp = /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : -1;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        return {
          message: `invalid escape sequence \\${e}${hex}: a UTF-16 surrogate is not a character`,
          hint: 'write the character itself, or escape it by its code point (\\U0001F600, not \\ud83d\\ude00)',
          offset: t.offset + i,
        };
      }
      i++;
    }
  }
  return null;
}

/** go-yaml's anchor and alias names are ASCII letters, digits, `-` and `_`; the `yaml` package takes more. */
function goYamlAnchorError(tokens: CST.Token[]): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'anchor' || x.type === 'alias')) {
    const name = restoreIndicators((t.source ?? '').slice(1));
    const bad = name.search(/[^0-9A-Za-z_-]/);
    if (bad < 0 || name.length === 0) continue;
    const what = t.type === 'anchor' ? 'anchor' : 'alias';
    return {
      message: `${what} name "${name}" contains "${String.fromCodePoint(name.codePointAt(bad)!)}": kubectl accepts only letters, digits, - and _ there`,
      hint: `rename the anchor (&name) and its aliases (*name) with letters, digits, - and _ only`,
      offset: t.offset + 1 + bad,
    };
  }
  return null;
}

// go-yaml's tag characters (URI characters, with `,` `[` `]`); the stand-ins are `-` and `:`.
const GO_TAG_CHAR = /[0-9A-Za-z_\-;/?:@&=+$,.!~*'()[\]%\uE000\uE001]/;

/**
 * go-yaml needs a blank or a line end right after a tag, and ends a tag at any character that is
 * not a URI character: `{a: !x}` and `!x#c` are errors, which the `yaml` package reads.
 */
function goYamlTagError(chunk: string, tokens: CST.Token[]): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'tag')) {
    let i = t.offset + 1;
    if (chunk[i] === '<') {
      for (i++; GO_TAG_CHAR.test(chunk[i] ?? ''); i++);
      if (chunk[i] === '>') i++;
    } else {
      for (; GO_TAG_CHAR.test(chunk[i] ?? ''); i++);
    }
    const escape = tagEscapeError(chunk, t.offset, i);
    if (escape) return escape;
    const c = chunk[i];
    if (c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    return {
      message: `tag "${restoreIndicators(chunk.slice(t.offset, i))}" is followed by "${c}": kubectl needs a blank or the end of the line after a tag`,
      hint: 'put a space after the tag (kubectl: "did not find expected whitespace or line break")',
      offset: i,
    };
  }
  return null;
}

/**
 * go-yaml decodes a tag's %-escapes as the bytes of one UTF-8 character at a time, and refuses a
 * byte that cannot start one (`!%FF`, `!%80`) or continue it (`!%C3%41`), or a character cut short
 * (`!%C3`); it checks nothing more (`!%C0%80` passes).
 */
function tagEscapeError(chunk: string, from: number, to: number): Explained | null {
  for (let i = from; i < to; i++) {
    if (chunk[i] !== '%') continue;
    const start = i;
    for (let need = -1; need !== 0; need--, i += 3) {
      const problem = !/^%[0-9A-Fa-f]{2}$/.test(chunk.slice(i, i + 3)) ? 'is cut short'
        : need < 0 ? (need = utf8Width(parseInt(chunk.slice(i + 1, i + 3), 16))) === 0 ? 'cannot start a UTF-8 character' : ''
        : (parseInt(chunk.slice(i + 1, i + 3), 16) & 0xc0) !== 0x80 ? 'is not a UTF-8 character' : '';
      if (problem) {
        const esc = chunk.slice(start, Math.min(i + 3, to));
        return {
          message: `tag "${restoreIndicators(chunk.slice(from, to))}" has "${esc}", which ${problem}: kubectl reads a tag's %-escapes as the UTF-8 bytes of a character`,
          hint: 'write the character itself in the tag, or escape each of its UTF-8 bytes (%C3%A9 for é)',
          offset: start,
        };
      }
    }
    i--;
  }
  return null;
}

/** The length of a UTF-8 sequence by its first byte, 0 if no sequence starts with it (go-yaml's table). */
function utf8Width(b: number): number {
  return b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 0;
}

/**
 * go-yaml reads the `:` of an explicit key (`? k`) as its value indicator only in the column of
 * the `?`: elsewhere it starts (or ends) a block mapping there, and the document is refused
 * ("did not find expected key"), where the `yaml` package reads `? a` then ` : b` as {a: b}.
 */
function goYamlExplicitValueError(tokens: CST.Token[], column: (o: number) => number): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'block-map')) {
    for (const it of (t as unknown as { items: { start: CstToken[]; sep?: CstToken[]; value?: CstToken }[] }).items) {
      const q = it.start.find((x) => x.type === 'explicit-key-ind');
      const colon = q && it.sep?.find((x) => x.type === 'map-value-ind');
      // The `yaml` package takes lines indented under `? key` for its value even with no ":", and drops them.
      if (q && !colon && it.value) {
        return {
          message: 'these lines follow an explicit key ("?") with no ":" before them: kubectl refuses them',
          hint: 'put ": " in the column of the "?" before the value, or write the key as an ordinary key: (kubectl: "did not find expected key")',
          offset: it.value.offset,
        };
      }
      if (!q || !colon || column(colon.offset) === column(q.offset)) continue;
      return {
        message: 'the ":" of an explicit key is not in the column of its "?": kubectl reads a ":" there as the start of another mapping',
        hint: 'put the ":" right below the "?" (kubectl: "did not find expected key")',
        offset: colon.offset,
      };
    }
  }
  return null;
}

/**
 * A key without `?` whose ":" is on a later line (`x`, then `    : v`): the `yaml` package takes
 * it, go-yaml wants the ":" on the key's line ("could not find expected ':'").
 */
function goYamlKeyBreakError(tokens: CST.Token[]): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'block-map')) {
    for (const it of (t as unknown as { items: { start: CstToken[]; key?: CstToken | null; sep?: CstToken[] }[] }).items) {
      if (!it.key || !it.sep || it.start.some((x) => x.type === 'explicit-key-ind')) continue;
      const colon = it.sep.findIndex((x) => x.type === 'map-value-ind');
      if (colon < 0 || !it.sep.slice(0, colon).some((x) => x.type === 'newline')) continue;
      return {
        message: 'this ":" is not on the line of its key: kubectl wants a key and its ":" on one line',
        hint: 'move the ":" up to the end of the key\'s line (kubectl: "could not find expected \':\'")',
        offset: it.sep[colon]!.offset,
      };
    }
  }
  return null;
}

const GO_BREAK_NAMES: Record<number, string> = { 0x85: 'U+0085 (next line)', 0x2028: 'U+2028 (line separator)', 0x2029: 'U+2029 (paragraph separator)' };

/**
 * go-yaml reads U+0085, U+2028 and U+2029 as line breaks, the `yaml` package as ordinary
 * characters: in a comment, kubectl reads what follows one as the next line (a key there is
 * applied), and in a plain or block scalar it ends a line. Only U+2028 and U+2029 inside quotes,
 * between characters other than blanks, read the same (go-yaml keeps them; next to a blank it
 * folds). Everywhere else the document is refused rather than read otherwise than kubectl reads it.
 */
function goYamlLineBreakError(chunk: string, tokens: CST.Token[]): Explained | null {
  const quoted = cstSelect(tokens, (t) => t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar');
  const re = /[\u0085\u2028\u2029]/g;
  for (let m = re.exec(chunk); m !== null; m = re.exec(chunk)) {
    const at = m.index;
    const c = chunk.charCodeAt(at);
    const q = quoted.find((t) => at > t.offset && at < t.offset + (t.source ?? '').length - 1);
    const inQuotes = q !== undefined;
    // A quoted key with one spans two lines to go-yaml, which refuses it ("mapping values are not allowed").
    const key = q !== undefined && /^[ \t]*:/.test(chunk.slice(q.offset + (q.source ?? '').length));
    if (inQuotes && !key && c !== 0x85 && !/[ \t\n\\]/.test(chunk[at - 1]!) && !/[ \t\n]/.test(chunk[at + 1]!)) continue;
    const name = GO_BREAK_NAMES[c]!;
    return {
      message: key ? `${name} in a quoted key is a line break to kubectl, and a key must be on one line`
        : inQuotes
        ? `${name} in a quoted string is a line break to kubectl, which folds it with the blanks next to it`
        : `${name} is a line break to kubectl: it reads the text after it as the next line`,
      hint: `remove it, or write it as the escape \\u${c.toString(16).padStart(4, '0')} inside a double-quoted string`,
      offset: at,
    };
  }
  return null;
}

/** go-yaml drops a possible key at a line break: in { } a key and its `:` share one line. */
function goYamlFlowKeyError(chunk: string, tokens: CST.Token[]): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'flow-collection')) {
    for (const it of (t as unknown as { items: { start: CstToken[]; key?: CstToken | null; sep?: CstToken[] }[] }).items) {
      if (!it.key || it.start.some((x) => x.type === 'explicit-key-ind')) continue;
      const colon = it.sep?.find((x) => x.type === 'map-value-ind');
      if (colon && chunk.slice(it.key.offset, colon.offset).includes('\n')) {
        return {
          message: 'a key that does not end on its line in { }: kubectl needs the key and its ":" on one line',
          hint: 'write the key and its ":" on one line (kubectl: "did not find expected \',\' or \'}\'")',
          offset: it.key.offset,
        };
      }
    }
  }
  return null;
}

/**
 * go-yaml drops a possible key once its `:` is more than 1024 characters (code points) past the
 * key's first token, anchor or tag included: in a block mapping that is an error ("could not find
 * expected ':'"), and in { } or [ ] too.
 */
function goYamlKeyLengthError(chunk: string, tokens: CST.Token[]): Explained | null {
  for (const t of cstSelect(tokens, (x) => x.type === 'block-map' || x.type === 'flow-collection')) {
    for (const it of (t as unknown as { items: { start: CstToken[]; key?: CstToken | null; sep?: CstToken[] }[] }).items) {
      if (!it.key || it.start.some((x) => x.type === 'explicit-key-ind')) continue;
      const colon = it.sep?.find((x) => x.type === 'map-value-ind');
      if (!colon) continue;
      let from = it.key.offset;
      for (let i = it.start.length - 1; i >= 0; i--) {
        const p = it.start[i];
        if (p.type === 'anchor' || p.type === 'tag') from = p.offset;
        else if (p.type !== 'space') break;
      }
      if (colon.offset - from <= 1024) continue;
      const span = chunk.slice(from, colon.offset);
      if (span.includes('\n') || span.length - (span.match(/[\uDC00-\uDFFF]/g)?.length ?? 0) <= 1024) continue;
      return {
        message: 'a key longer than 1024 characters: kubectl looks for the ":" after a key only within 1024 characters of its start',
        hint: 'shorten the key, or write it as an explicit key: "? " before the key, and ": " before the value on the next line',
        offset: from,
      };
    }
  }
  return null;
}

/** A syntax token in source order, with what go-yaml's scanner knows at that point. */
interface ScanLeaf {
  type: string;
  offset: number;
  source: string;
  flow: boolean;
  /** Column of the innermost block collection (go-yaml's parser.indent), -1 at the top. */
  blockIndent: number;
  /** A `:` after an explicit (`? `) key or with no key, after which a new line's rules apply. */
  complexValue?: boolean;
  /** A block scalar's header (`|`, `>2-`): its body is the leaf. */
  header?: string;
}

function scanLeaves(tokens: CST.Token[]): ScanLeaf[] {
  const out: ScanLeaf[] = [];
  // A stack, not recursion: documents may nest thousands of levels deep.
  const stack: [x: unknown, flow: boolean, blockIndent: number, complexValue: boolean][] = [[tokens, false, -1, false]];
  while (stack.length > 0) {
    const [x, flow, blockIndent, complexValue] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (const y of x) stack.push([y, flow, blockIndent, complexValue]);
      continue;
    }
    const t = x as { type: string; offset: number; source?: string; indent: number; [k: string]: any };
    switch (t.type) {
      case 'document':
        stack.push([t.start, false, -1, false], [t.value, false, -1, false], [t.end, false, -1, false]);
        break;
      case 'block-map':
      case 'block-seq':
        for (const it of t.items) {
          const complex = t.type === 'block-map' && (it.explicitKey === true || !it.key);
          stack.push([it.start, flow, t.indent, false], [it.key, flow, t.indent, false], [it.sep, flow, t.indent, complex], [it.value, flow, t.indent, false]);
        }
        break;
      case 'flow-collection':
        stack.push([t.start, true, blockIndent, false], [t.end, flow, blockIndent, false]);
        for (const it of t.items) {
          stack.push([it.start, true, blockIndent, false], [it.key, true, blockIndent, false], [it.sep, true, blockIndent, false], [it.value, true, blockIndent, false]);
        }
        break;
      case 'block-scalar': {
        stack.push([t.props, flow, blockIndent, false]);
        const last = t.props[t.props.length - 1] as { offset: number; source: string } | undefined;
        const body = last ? last.offset + last.source.length : t.offset;
        const header = (t.props as { type: string; source: string }[]).find((p) => p.type === 'block-scalar-header');
        out.push({ type: 'block-body', offset: body, source: t.source ?? '', flow, blockIndent, header: header?.source ?? '' });
        break;
      }
      default:
        if (typeof t.source === 'string') out.push({ type: t.type, offset: t.offset, source: t.source, flow, blockIndent, complexValue });
        stack.push([t.end, flow, blockIndent, false]);
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

const TAB_HINT = 'replace the tab with spaces';

/**
 * Tabs that go-yaml's scanner refuses and the `yaml` package takes: a tab is whitespace in flow
 * context and after a token on its line, but not where a line's indentation is read, nor right
 * after `-`, `?` or an explicit key's `:`; a plain scalar going on over lines and a block scalar
 * check the indentation of each line they read against their own.
 */
function goYamlTabError(chunk: string, tokens: CST.Token[], column = (o: number): number => o - chunk.lastIndexOf('\n', o - 1) - 1): Explained | null {
  const refused = (offset: number, message: string, said: string): Explained =>
    ({ message, hint: `${TAB_HINT}: kubectl refuses it there ("${said}")`, offset });
  const VIOLATES = 'found a tab character that violates indentation';
  let keyAllowed = true; // go-yaml's simple_key_allowed: true at the start of the stream and of each line
  let plainIndent = -1; // while a plain scalar's scan goes on over blank lines: the column it needs
  let plainBroke = false;
  for (const leaf of scanLeaves(tokens)) {
    const { type, source, offset } = leaf;
    if (type === 'newline') {
      keyAllowed = true;
      if (plainIndent >= 0) plainBroke = true;
      continue;
    }
    if (type === 'space') {
      for (let i = source.indexOf('\t'); i >= 0; i = source.indexOf('\t', i + 1)) {
        const at = offset + i;
        if (plainIndent >= 0) {
          if (plainBroke && column(at) < plainIndent) return refused(at, 'a tab character in the indentation of a line', VIOLATES);
        } else if (!leaf.flow && keyAllowed) {
          return refused(at, 'a tab character where kubectl reads indentation or the start of a value', 'found character that cannot start any token');
        }
      }
      continue;
    }
    if (type === 'byte-order-mark' || type === 'directive-line' || type === 'doc-mode') continue;
    plainIndent = -1;
    if (type === 'comment') continue;
    if (type === 'scalar') {
      const indent = leaf.blockIndent + 1;
      let lineStart = false;
      for (let i = 0; i < source.length; i++) {
        const c = source.charCodeAt(i);
        if (c === 10) lineStart = true;
        else if (c === 9 && lineStart && column(offset + i) < indent) return refused(offset + i, 'a tab character in the indentation of a line', VIOLATES);
        else if (c !== 32 && c !== 13) lineStart = false;
      }
      plainIndent = indent;
      plainBroke = false;
      keyAllowed = false;
    } else if (type === 'block-body') {
      const bad = blockScalarTab(chunk, leaf, column);
      if (bad >= 0) {
        return {
          message: 'a tab character in the indentation of a block scalar',
          hint: 'indent the lines of the | or > block with spaces (a tab may follow the indentation): kubectl refuses it there ("found a tab character where an indentation space is expected")',
          offset: bad,
        };
      }
      keyAllowed = true;
    } else if (type === 'seq-item-ind' || type === 'explicit-key-ind') {
      keyAllowed = !leaf.flow;
    } else if (type === 'map-value-ind') {
      keyAllowed = !leaf.flow && leaf.complexValue === true;
    } else if (type === 'flow-seq-start' || type === 'flow-map-start' || type === 'comma') {
      keyAllowed = true;
    } else {
      // Scalars, aliases, anchors, tags, flow ends, document markers.
      keyAllowed = false;
    }
  }
  return null;
}

/**
 * The offset of the first tab go-yaml refuses in a block scalar's body, or -1: one among the
 * spaces that indent a line, before the indentation is found or short of it.
 */
function blockScalarTab(chunk: string, leaf: ScanLeaf, column: (o: number) => number): number {
  const digit = /[1-9]/.exec(leaf.header ?? '');
  let indent = digit ? (leaf.blockIndent >= 0 ? leaf.blockIndent + Number(digit[0]) : Number(digit[0])) : 0;
  let maxIndent = 0;
  const end = leaf.offset + leaf.source.length;
  let p = leaf.offset;
  while (p < end) {
    while (p < end && chunk.charCodeAt(p) === 32 && (indent === 0 || column(p) < indent)) p++;
    if (indent === 0 && column(p) > maxIndent) maxIndent = column(p);
    if (p < end && chunk.charCodeAt(p) === 9 && (indent === 0 || column(p) < indent)) return p;
    const eol = chunk.indexOf('\n', p);
    const blank = p >= end || chunk.charCodeAt(p) === 10 || (chunk.charCodeAt(p) === 13 && chunk.charCodeAt(p + 1) === 10);
    if (!blank && indent === 0) indent = Math.max(maxIndent, leaf.blockIndent + 1, 1);
    if (!blank && column(p) < indent) return -1;
    if (eol < 0) break;
    p = eol + 1;
  }
  return -1;
}

/** Where a text was given extra spaces: at each original offset, how many. */
type Insertions = [offset: number, count: number][];

/** Maps an offset in the text with `ins` applied back to the original (a binary search: `ins` may be long). */
function originalOffsets(ins: Insertions): (o: number) => number {
  const padded = new Float64Array(ins.length); // where each insertion's spaces start in the new text
  let shift = 0;
  ins.forEach(([at, count], k) => {
    padded[k] = at + shift;
    shift += count;
  });
  return (o) => {
    let lo = 0;
    let hi = ins.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (padded[mid]! <= o) {
        k = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (k < 0) return o;
    const [at, count] = ins[k]!;
    const spaces = padded[k]! - at + count; // inserted up to and including insertion k
    return o < padded[k]! + count ? at : o - spaces;
  };
}

/** The end of the flow collection or quoted scalar that starts at `from`, or -1 if it has none. */
function flowEnd(text: string, from: number): number {
  const open = text[from];
  if (open === '"' || open === "'") return quotedEnd(text, from);
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      if (!/[[{,:?\s]/.test(text[i - 1] ?? ' ')) continue;
      i = quotedEnd(text, i) - 1;
      if (i < 0) return -1;
    } else if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return -1;
      i = eol;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if (c === ']' || c === '}') {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

function quotedEnd(text: string, from: number): number {
  const q = text[from];
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

/**
 * go-yaml checks no indentation inside flow collections and quoted scalars, where the `yaml`
 * package wants every line indented past the block collection around them. The text with such
 * lines indented just enough, and where spaces went; null when no line needs it.
 */
function indentFlowLines(chunk: string, tokens: CST.Token[]): { text: string; ins: Insertions } | null {
  const ins: Insertions = [];
  let covered = 0;
  // Outermost flow collections and quoted scalars in source order, with the block indentation
  // around each; a stack, not recursion, as documents may nest thousands of levels deep.
  const stack: [x: unknown, blockIndent: number][] = [[tokens, -1]];
  while (stack.length > 0) {
    const [x, blockIndent] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push([x[i], blockIndent]);
      continue;
    }
    const t = x as { type: string; offset: number; indent: number; [k: string]: any };
    if (t.type === 'document') {
      stack.push([t.value, -1]);
      continue;
    }
    if (t.type === 'block-map' || t.type === 'block-seq') {
      for (let i = t.items.length - 1; i >= 0; i--) stack.push([t.items[i].value, t.indent], [t.items[i].key, t.indent]);
      continue;
    }
    if (t.type !== 'flow-collection' && !QUOTED.has(t.type)) continue;
    const start = t.type === 'flow-collection' ? (t.start as { offset: number }).offset : t.offset;
    // Where the indentation broke the first reading, the rest of a collection reads as more tokens.
    if (start < covered) continue;
    const end = flowEnd(chunk, start);
    const need = blockIndent + 1;
    if (end < 0) continue;
    covered = end;
    if (need <= 0) continue;
    for (let nl = chunk.indexOf('\n', start); nl >= 0 && nl < end - 1; nl = chunk.indexOf('\n', nl + 1)) {
      let k = nl + 1;
      while (chunk.charCodeAt(k) === 32) k++;
      if (chunk.charCodeAt(k) === 10) continue;
      if (k - nl - 1 < need) ins.push([nl + 1, need - (k - nl - 1)]);
    }
  }
  if (ins.length === 0) return null;
  ins.sort((a, b) => a[0] - b[0]);
  return { text: withSpaces(chunk, ins), ins };
}

/** `text` with the spaces of `ins` (in offset order) put in. */
function withSpaces(text: string, ins: Insertions): string {
  let out = '';
  let last = 0;
  for (const [at, count] of ins) {
    out += text.slice(last, at) + ' '.repeat(count);
    last = at;
  }
  return out + text.slice(last);
}

/**
 * go-yaml takes a block scalar's `|` or `>` alone on the line after `key:`, in the key's column,
 * for the key's value; the `yaml` package wants it indented further. Such lines indented by one.
 */
function indentLoneBlockHeaders(chunk: string): { text: string; ins: Insertions } | null {
  const ins: Insertions = [];
  let keyColumn = -1;
  let at = 0;
  for (const line of chunk.split('\n')) {
    const header = /^( *)[|>][1-9+-]*(?:[ \t]+#.*)?[ \t\r]*$/.exec(line);
    if (header && header[1]!.length === keyColumn) ins.push([at, 1]);
    if (!/^[ \t]*(?:#.*)?\r?$/.test(line)) {
      // A key with nothing after its ":" (but a comment), perhaps after list dashes.
      const key = /^((?: *- +)* *)[^\s#].*:(?:[ \t]+#.*)?[ \t\r]*$/.exec(line);
      keyColumn = key && !header ? key[1]!.length : -1;
    }
    at += line.length + 1;
  }
  return ins.length === 0 ? null : { text: withSpaces(chunk, ins), ins };
}

const QUOTED = new Set(['double-quoted-scalar', 'single-quoted-scalar']);

/**
 * A double-quoted scalar spread over lines (its source, quotes included, escapes already checked),
 * as go-yaml's scanner reads it: a line break folds to a space, or to the empty lines after it;
 * after an escaped line break, each empty line is a line feed.
 */
function goYamlDoubleQuoted(raw: string): string {
  const blank = (c: string): boolean => c === ' ' || c === '\t';
  let out = '';
  let i = 1;
  const end = raw.length - 1;
  while (i < end) {
    let leadingBlanks = false;
    while (i < end && !blank(raw[i]) && raw[i] !== '\n') {
      if (raw[i] === '\\' && raw[i + 1] === '\n') {
        i += 2;
        leadingBlanks = true;
        break;
      }
      if (raw[i] === '\\') {
        const esc = doubleQuotedEscape(raw, i, end);
        if (esc === null) return raw.slice(1, end); // refused earlier; not reached
        out += esc[0];
        i += esc[1];
        continue;
      }
      out += raw[i++];
    }
    let whitespace = '';
    let leadingBreak = false;
    let trailingBreaks = '';
    while (i < end && (blank(raw[i]) || raw[i] === '\n')) {
      if (blank(raw[i])) {
        if (!leadingBlanks) whitespace += raw[i];
      } else if (!leadingBlanks) {
        whitespace = '';
        leadingBreak = true;
        leadingBlanks = true;
      } else {
        trailingBreaks += '\n';
      }
      i++;
    }
    if (!leadingBlanks) out += whitespace;
    else if (!leadingBreak) out += trailingBreaks;
    else out += trailingBreaks === '' ? ' ' : trailingBreaks;
  }
  return out;
}

/**
 * A block scalar with an indentation indicator, read from `text` as go-yaml's scanner reads it;
 * null for one without. The `yaml` package takes a line of spaces longer than the indentation
 * for an empty line when no content follows it (and, unless chomping is `+`, when it is no longer
 * than the first content line's indentation), where go-yaml keeps the spaces past the indentation.
 */
function goYamlIndicatedBlock(text: string, token: unknown, literal: boolean): string | null {
  const t = token as { type?: string; indent?: number; props?: { type: string; source: string; offset: number }[] } | undefined;
  if (t?.type !== 'block-scalar' || !t.props || t.props.length === 0) return null;
  const header = t.props.find((x) => x.type === 'block-scalar-header')?.source ?? '';
  const digit = /[1-9]/.exec(header);
  if (!digit) return null;
  const indent = (t.indent ?? 0) + Number(digit[0]);
  const last = t.props[t.props.length - 1];
  let p = last.offset + last.source.length;
  let out = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  // Eats empty lines and indentation (go-yaml's yaml_parser_scan_block_scalar_breaks); true at a content line.
  const breaks = (): boolean => {
    for (;;) {
      const ls = p;
      while (p < text.length && text.charCodeAt(p) === 32 && p - ls < indent) p++;
      if (p >= text.length) return false;
      if (text.charCodeAt(p) !== 10) return p - ls === indent;
      trailingBreaks += '\n';
      p++;
    }
  };
  while (breaks()) {
    const c = text.charCodeAt(p);
    const trailingBlank = c === 32 || c === 9;
    if (!literal && !leadingBlank && !trailingBlank && leadingBreak === '\n') {
      if (trailingBreaks === '') out += ' ';
    } else {
      out += leadingBreak;
    }
    out += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = trailingBlank;
    const eol = text.indexOf('\n', p);
    out += text.slice(p, eol < 0 ? text.length : eol);
    leadingBreak = '\n';
    p = eol < 0 ? text.length : eol + 1;
  }
  if (!header.includes('-')) out += leadingBreak;
  if (header.includes('+')) out += trailingBreaks;
  return out;
}

function restoreIndicators(s: string): string {
  return s.replace(/\uE000/g, '-').replace(/\uE001/g, ':');
}

/**
 * Where a document nests collections more than MAX_DEPTH levels deep, told from its tokens
 * before it is parsed: the `yaml` package builds the whole syntax tree first, and a few
 * megabytes of `[` took gigabytes. Counts flow collections and the block ones that open on one
 * line (`- - - x`, `? ? x`); those that indentation opens are told while converting.
 */
function tooDeepAt(chunk: string): number | undefined {
  // Cheap bound first: the depth is at most the number of `[` and `{`, plus the `-` and `?` of a line.
  let opens = 0;
  let lineMost = 0;
  let line = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) opens++;
    else if (c === 0x2d || c === 0x3f) {
      if (++line > lineMost) lineMost = line;
    } else if (c === 0x0a) line = 0;
  }
  if (opens + lineMost <= MAX_DEPTH) return undefined;
  let flow = 0;
  let compact = 0;
  let offset = 0;
  let scalarNext = false;
  for (const token of new Y.Lexer().lex(chunk)) {
    const c = token.charCodeAt(0);
    // Zero-width markers: a document's start, a flow error's end, a scalar's start.
    if (token.length === 1 && (c === 0x02 || c === 0x18 || c === 0x1f)) {
      scalarNext = c === 0x1f;
      continue;
    }
    if (scalarNext) scalarNext = false;
    else if (token.length === 1) {
      if (c === 0x5b || c === 0x7b) {
        if (++flow + compact > MAX_DEPTH) return offset;
      } else if (c === 0x5d || c === 0x7d) {
        if (flow > 0) flow--;
      } else if (c === 0x2d || c === 0x3f) {
        if (flow + ++compact > MAX_DEPTH) return offset;
      } else if (c === 0x0a) compact = 0;
    } else if (c === 0x0d || c === 0x0a) compact = 0;
    offset += token.length;
  }
  return undefined;
}

/**
 * Parses one document, text[start, end) (including its directives and `---` line).
 * Returns null for an empty document; throws DocError.
 */
export function parseSlow(text: string, start: number, end: number, onDuplicate?: (key: string, offset: number) => void): SlowResult | null {
  if (Y === undefined) Y = yaml();
  const original = text.slice(start, end);
  const deep = tooDeepAt(original);
  if (deep !== undefined) {
    throw new DocError(`document nests collections more than ${MAX_DEPTH} levels deep`, 'no Kubernetes object is nested this deeply; check the input', start + deep);
  }
  const go = goYamlTokenEnds(original);
  const base = go?.text ?? original;
  const baseLayers = go?.layers ?? [];
  let { fixed, tokens } = libyamlFlowScalars(base);
  let chunk = fixed ?? base;
  let doc = composeDocument(tokens, chunk);
  let layers = [...baseLayers];
  if (/[\u0085\u2028\u2029]/.test(chunk)) {
    const lb = goYamlLineBreakError(chunk, tokens);
    if (lb) throw new DocError(lb.message, lb.hint, start + baseLayers.reduceRight((at, toOriginal) => toOriginal(at), lb.offset));
  }
  // The `yaml` package ends a quoted scalar at a line indented too little, where a closing quote
  // escaped (`"a\\"`) then passes for one: such a scalar is unclosed, as a syntax error is.
  const cutShort = (): CstToken | undefined => (chunk.includes('\\"')
    ? cstSelect(tokens, (t) => t.type === 'double-quoted-scalar').find((t) => !quoteClosed(t.source ?? ''))
    : undefined);
  let unclosed = doc.errors.length === 0 ? cutShort() : undefined;
  if (doc.errors.length > 0 || unclosed) {
    const first = { fixed, tokens, chunk, doc, unclosed };
    // A line indented too little breaks the reading of what follows: indent, read again, repeat.
    let text = base;
    for (let round = 0; round < 8 && (doc.errors.length > 0 || unclosed); round++) {
      const indented = indentFlowLines(text, tokens) ?? indentLoneBlockHeaders(text);
      if (!indented) break;
      text = indented.text;
      layers.push(originalOffsets(indented.ins));
      // Tokens in lines the indentation broke are seen only now.
      const again = goYamlTokenEnds(text);
      if (again) {
        text = again.text;
        layers.push(...again.layers);
      }
      ({ fixed, tokens } = libyamlFlowScalars(text));
      chunk = fixed ?? text;
      doc = composeDocument(tokens, chunk);
      unclosed = doc.errors.length === 0 ? cutShort() : undefined;
    }
    // Kept only when that was all that was wrong; otherwise the first reading's errors stand.
    if (doc.errors.length > 0 || unclosed) {
      ({ fixed, tokens, chunk, doc, unclosed } = first);
      layers = [...baseLayers];
    }
  }
  if (unclosed) {
    throw new DocError('the double quote (") opened here is not closed',
      'add the closing " where the value ends (until then the lines after it are read as part of the value); write a " inside the value as \\"',
      start + unclosed.offset);
  }
  const back = (o: number): number => layers.reduceRight((at, toOriginal) => toOriginal(at), o);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    if (e.code === 'RESOURCE_EXHAUSTION') {
      throw new DocError('document nests collections too deeply to read',
        'no Kubernetes object is nested this deeply; check the input', start + e.pos[0]);
    }
    if (go?.swallowed) {
      // Read as YAML reads tags, does the document parse? Then the tag is the trouble.
      const asYaml = libyamlFlowScalars(original);
      if (composeDocument(asYaml.tokens, asYaml.fixed ?? original).errors.length === 0) {
        throw new DocError(go.swallowed.message, go.swallowed.hint, start + go.swallowed.offset);
      }
    }
    // The `yaml` package decodes a tag's %-escapes too, and fails on what is not UTF-8: say why.
    const escape = e.message.startsWith('URIError') ? goYamlTagError(chunk, tokens) : null;
    if (escape) throw new DocError(escape.message, escape.hint, start + back(escape.offset));
    const better = unclosedError(chunk, (doc.contents as { srcToken?: unknown } | null)?.srcToken, doc.errors);
    if (better) throw new DocError(better.message, better.hint, start + better.offset);
    // `key: value` and, on the next line, a key indented further: the plain value runs on into it,
    // and its colon is where go-yaml stops (kubectl names that line).
    const runOn = e.code === 'BLOCK_AS_IMPLICIT_KEY' ? doc.errors.find((x) => x.code === 'MULTILINE_IMPLICIT_KEY' && x.pos[0] === e.pos[0]) : undefined;
    if (runOn) {
      let key = chunk.lastIndexOf('\n', runOn.pos[1] - 1) + 1;
      while (chunk.charCodeAt(key) === 32) key++;
      throw new DocError('mapping values are not allowed in this context: this key is indented further than the one above it, so it reads as more of that one\'s value',
        'indent the key as its neighbours are; if the line belongs to the value above, quote that value', start + back(key));
    }
    // `// generated` above JSON or YAML: no comment to either.
    const slashes = /^(?:[ \t]*(?:#.*)?\r?\n)*[ \t]*(\/\/|\/\*)/.exec(original);
    if (slashes) {
      throw new DocError(`"${slashes[1]}" starts no comment in YAML or JSON: the line is read as text, and the lines after it with it`,
        'remove the line, or write # in place of its // (a YAML comment)', start + slashes[0].length - slashes[1]!.length);
    }
    const separator = mistypedSeparator(original, back(e.pos[0]));
    if (separator) throw new DocError(separator.message, separator.hint, start + separator.offset);
    const dropped = droppedTail(original, e, (doc.contents as Node | null)?.range, back, (o) => text.slice(0, start + o).split('\n').length);
    if (dropped) throw new DocError(dropped.message, dropped.hint, start + dropped.offset);
    const told = explainYamlError(e, chunk);
    throw new DocError(told.message, told.hint, start + back(e.pos[0]));
  }
  // Each of these reads the whole syntax tree: only where its character occurs.
  const column = (o: number): number => {
    const at = back(o);
    return at - original.lastIndexOf('\n', at - 1) - 1;
  };
  const refused = (chunk.includes('\\') ? goYamlEscapeError(chunk, tokens) : null) ??
    (chunk.includes('&') || chunk.includes('*') ? goYamlAnchorError(tokens) : null) ??
    (chunk.includes('!') ? goYamlTagError(chunk, tokens) : null) ??
    (chunk.includes('\t') ? goYamlTabError(chunk, tokens, column) : null) ??
    (chunk.includes('{') ? goYamlFlowKeyError(chunk, tokens) : null) ??
    (chunk.includes('?') ? goYamlExplicitValueError(tokens, column) : null) ??
    (chunk.length > 1024 ? goYamlKeyLengthError(chunk, tokens) : null) ??
    goYamlKeyBreakError(tokens);
  if (refused) throw new DocError(refused.message, refused.hint, start + back(refused.offset));
  const root = doc.contents as Node | null;
  if (root === null) return null;
  // `---` followed by nothing parses as an empty plain scalar: that is an empty document.
  if (Y.isScalar(root) && root.source === '' && root.type === 'PLAIN' && !root.tag && !root.anchor) return null;
  const conv = new Converter(start, chunk, onDuplicate, fixed !== null, back);
  let value: unknown;
  try {
    value = conv.value(root, 1);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new DocError('document nests collections too deeply to read',
        'no Kubernetes object is nested this deeply; check the input', start + back(root.range ? root.range[0] : 0));
    }
    throw err;
  }
  return { value, root: start + back(root.range ? root.range[0] : 0), rec: conv.rec };
}
