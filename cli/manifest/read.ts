// Reads Kubernetes manifests the way kubectl does (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1
// scalar resolution, conversion to JSON, duplicate keys rejected or reported.
// See README.md in this folder for the exact semantics.

import { isUtf8 } from 'node:buffer';
import { DocError } from './resolve.js';
import { locateFast, newFastTable, parseFast } from './fast.js';
import { parseSlow } from './slow.js';
import { entryValueStart, parseJsonValue, skipJsonSpace } from './json.js';
import { LineIndex, locateOffset, type PosRecord, type Subtree } from './positions.js';

/** What to do about `{{ }}` template syntax found in `what` (a document, a field): render it first. */
export function templateSyntaxHint(what: string): string {
  return `${what} contains {{ }} template syntax: render it first (for example with \`helm template\`)`;
}

export interface Position {
  line: number;
  column: number;
}

export interface ManifestDocument {
  file: string;
  /** 0-based index of the document in the stream, counting empty documents too */
  index: number;
  /** 1-based line where the document's content starts */
  line: number;
  /** JSON-compatible value */
  value: unknown;
  /** The chart template that rendered the document, from `helm template`'s `# Source:` comment. */
  renderedFrom?: string;
  /**
   * Position of the node at `path` inside `value`, or of its nearest existing ancestor
   * (the document start for []). Map entries point at their key, sequence items at their `-`
   * (block style) or first token (flow style).
   */
  locate(path: (string | number)[]): Position;
}

export interface ManifestError {
  file: string;
  index?: number;
  line?: number;
  column?: number;
  message: string;
  hint: string;
  /** As for a document: where to fix what `helm template` rendered broken. */
  renderedFrom?: string;
}

export interface ParseResult {
  documents: ManifestDocument[];
  errors: ManifestError[];
  /** The decoded text that lines and columns refer to (line breaks normalized to \n). */
  text: string;
}

/** How a document was read; exported for tests and benchmarks. */
export type ReadPath = 'fast' | 'full' | 'json';

interface Located {
  value: unknown;
  rec: PosRecord;
  root: number;
}

interface Chunk {
  /** start of the chunk, including directive lines before `---` */
  start: number;
  /** where the document's content may start (after the `---` line) */
  content: number;
  end: number;
  /** the `---` line carries content, or directives precede it: the fast reader cannot take it */
  needsFull: boolean;
  /** content after `...` without a new `---` */
  orphan: boolean;
  /**
   * The content starts with U+FEFF right after the `---` line, and a line precedes that `---` line
   * (since the input's start or the last `---`): kubectl then reads the document on its own and
   * drops a byte order mark at its start (elsewhere U+FEFF is an ordinary character).
   */
  bom: boolean;
}

// Line breaks to go-yaml (YAML 1.1), ordinary characters to the `yaml` package: documents with them
// go to the full reader, which refuses them where kubectl would read a line break.
const GO_LINE_BREAK = /[\u0085\u2028\u2029]/g;
const BAD_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Every character either of the two can match, surrogates paired or not: one scan of the input
// instead of two, and of a simpler pattern. Manifests seldom hold any.
const SUSPECT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/g;

export interface ReadOptions {
  /** For tests: force every YAML document through one reader. */
  path?: 'fast' | 'full';
  /** receives how each returned document was read */
  onDocument?: (index: number, path: ReadPath) => void;
  /**
   * Receives each document as soon as it is read, instead of collecting them in the result.
   * The document's `locate` works only during the call: a reader that handles documents one
   * by one lets each die young, which spares the garbage collector copying the whole input.
   */
  consume?: (doc: ManifestDocument) => void;
  /** Reads only the documents with these indexes (the others are skipped, not reported). */
  only?: ReadonlySet<number>;
  /**
   * A key given twice in one mapping (a key overriding a merged `<<` one is not): an error
   * (default), or the last value kept, as kubectl's YAML reading and Go's JSON decoder keep it.
   */
  duplicateKeys?: 'error' | 'last';
  /** With duplicateKeys 'last': told of each key given twice. */
  onDuplicateKey?: (duplicate: { index: number; key: string; line: number; column: number }) => void;
  /** Told of bytes that are not UTF-8 (read as U+FFFD): where the first is, and how many there are. */
  onInvalidUtf8?: (invalid: { line: number; column: number; count: number }) => void;
}

type OnDuplicate = ((index: number) => (key: string, offset: number) => void) | undefined;

export function parseManifests(input: string | Uint8Array, file: string, options: ReadOptions = {}): ParseResult {
  const documents: ManifestDocument[] = [];
  const errors: ManifestError[] = [];
  let text = decode(input);
  const json = startsAsJson(text);
  // kubectl's line reader drops one CR before each LF, and go-yaml reads CRLF or CR as one break:
  // so `\r\r\n` (a CRLF file converted again) is one line break.
  if (text.includes('\r')) text = text.replace(/\r?\r\n|\r/g, '\n');
  // kubectl's line reader ends every line, the last one too, with a line break; block scalars
  // at the end of a file depend on it.
  if (text.length > 0 && text.charCodeAt(text.length - 1) !== 10) text += '\n';
  const lines = new LineIndex(text);
  // Not for binary data (gzip, NUL bytes), which the error on it names for what it is.
  const binary = typeof input !== 'string' && ((input[0] === 0x1f && input[1] === 0x8b) || input.includes(0));
  if (options.onInvalidUtf8 && typeof input !== 'string' && !binary && !isUtf16(input) && !isUtf32(input) && !isUtf8(input)) {
    const { offset, count } = invalidUtf8(input);
    const before = new TextDecoder('utf-8').decode(input.subarray(0, offset)).replace(/\r?\r\n|\r/g, '\n');
    options.onInvalidUtf8({ ...lines.position(before.length), count });
  }

  const fail = (index: number, e: unknown, start = 0, end = 0, commentsFrom = -1): void => {
    if (!(e instanceof DocError)) throw e;
    // The end of the input is the end of its last line, not a line after it (a SARIF region
    // must lie within the file).
    const at = Math.min(e.offset, text.length);
    const pos = lines.position(at === text.length && at > 0 && text.charCodeAt(at - 1) === 10 ? at - 1 : at);
    let hint = e.hint;
    const tpl = text.indexOf('{{', start);
    if (tpl >= 0 && tpl < end && !hint.includes('template') && !e.notText) {
      // On the error's own line the template is the cause: YAML reads `{{ x }}` as a mapping.
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = text.indexOf('\n', at);
      const onLine = text.indexOf('{{', lineStart);
      if (onLine >= 0 && (lineEnd < 0 || onLine < lineEnd)) hint = 'this line contains {{ }} template syntax, which YAML reads as a mapping: render the template first (for example with `helm template`)';
      else hint += `; ${templateSyntaxHint('this document')}`;
    }
    const error: ManifestError = { file, index, line: pos.line, column: pos.column, message: e.message, hint };
    const origin = commentsFrom >= 0 ? helmSource(text, commentsFrom, leadingCommentsEnd(text, commentsFrom, end)) : undefined;
    if (origin !== undefined) error.renderedFrom = origin;
    errors.push(error);
  };
  const onDuplicate: OnDuplicate = options.duplicateKeys === 'last'
    ? (index) => (key, offset) => {
        if (!options.onDuplicateKey) return;
        const pos = lines.position(offset);
        options.onDuplicateKey({ index, key, line: pos.line, column: pos.column });
      }
    : undefined;
  const addDoc = (index: number, value: unknown, root: number, locator: (path: (string | number)[]) => number, commentsFrom = -1): void => {
    const doc: ManifestDocument = {
      file,
      index,
      line: lines.line(root),
      value,
      locate(path: (string | number)[]): Position {
        return lines.position(locator(path));
      },
    };
    const origin = commentsFrom >= 0 ? helmSource(text, commentsFrom, root) : undefined;
    if (origin !== undefined) doc.renderedFrom = origin;
    if (options.consume) options.consume(doc);
    else documents.push(doc);
  };

  if (typeof input !== 'string' && isUtf32(input)) {
    // kubectl reads its byte order mark as UTF-16's and fails on the NULs: nothing to read.
    fail(0, new DocError('the file is UTF-32 text (it starts with the UTF-32 byte order mark), which kubectl does not read', 'save the file as UTF-8', 0));
  } else if (json) {
    // Its JSON decoder allows only JSON's spaces before the `{`.
    readJson(text, skipJsonSpace(text, 0), addDoc, fail, options, onDuplicate);
  } else {
    readYaml(text, addDoc, fail, options, onDuplicate);
  }
  return { documents, errors, text };
}

type AddDoc = (index: number, value: unknown, root: number, locator: (path: (string | number)[]) => number, commentsFrom?: number) => void;

/** The path in a `# Source: chart/templates/x.yaml` line among the comments in text[from, to). */
function helmSource(text: string, from: number, to: number): string | undefined {
  for (let ls = from; ls < to; ) {
    let le = text.indexOf('\n', ls);
    if (le < 0 || le > to) le = to;
    if (text.startsWith('# Source: ', ls)) {
      const path = text.slice(ls + 10, le).trim();
      if (path) return path;
    }
    ls = le + 1;
  }
  return undefined;
}

/** The end of the comment and blank lines that open text[from, to): a document's own lines do not count. */
function leadingCommentsEnd(text: string, from: number, to: number): number {
  let ls = from;
  while (ls < to) {
    let le = text.indexOf('\n', ls);
    if (le < 0 || le > to) le = to;
    const line = text.slice(ls, le).trim();
    if (line !== '' && !line.startsWith('#')) break;
    ls = le + 1;
  }
  return Math.min(ls, to);
}

/** Locates through position records made on first use (a second read of the document). */
function lazyLocator(make: () => Located): (path: (string | number)[]) => number {
  let cache: Located | null = null;
  return (path) => {
    cache ??= make();
    return locateOffset(cache.value, cache.rec, cache.root, path);
  };
}
type Fail = (index: number, e: unknown, start?: number, end?: number, commentsFrom?: number) => void;

/** How deep a JSON document's first reading records offsets: a List, its items and their start. */
const SHALLOW_JSON_DEPTH = 2;

/**
 * Locates in a JSON document whose reading recorded only its top: below that, the collection a
 * walk reaches is read again, once, with full records (an item of a List, not the whole List).
 */
function jsonLocator(text: string, value: unknown, shallow: PosRecord, root: number, quiet: ((key: string, offset: number) => void) | undefined): (path: (string | number)[]) => number {
  const subtrees = new Map<number, Subtree>();
  const expand = (offset: number): Subtree => {
    let sub = subtrees.get(offset);
    if (sub === undefined) {
      // A map entry's offset is its key's: a collection never starts with a quote.
      const start = text.charCodeAt(offset) === 34 ? entryValueStart(text, offset) : offset;
      const rec: PosRecord = new Map();
      sub = { value: parseJsonValue(text, start, rec, quiet).value, rec };
      subtrees.set(offset, sub);
    }
    return sub;
  };
  return (path) => locateOffset(value, shallow, root, path, expand);
}

/** Concatenated JSON values, from `first` on. */
function readJson(text: string, first: number, addDoc: AddDoc, fail: Fail, options: ReadOptions, onDuplicate: OnDuplicate): void {
  const quiet = onDuplicate ? () => {} : undefined;
  let p = first;
  for (let index = 0; ; index++) {
    p = skipJsonSpace(text, p);
    if (p >= text.length) return;
    const start = p;
    try {
      // Offsets only near the top (a List's items): the rest is read again where a walk needs it.
      const shallow: PosRecord = new Map();
      const r = parseJsonValue(text, start, shallow, onDuplicate?.(index), SHALLOW_JSON_DEPTH);
      p = r.end;
      if (options.only && !options.only.has(index)) continue;
      addDoc(index, r.value, start, jsonLocator(text, r.value, shallow, start, quiet));
      options.onDocument?.(index, 'json');
    } catch (e) {
      // Most often YAML documents after a JSON one (`cat a.json b.yaml`): not a syntax slip.
      const yamlAfterJson = e instanceof DocError && e.offset === start && index > 0 && text.charCodeAt(start) !== 123 && text.charCodeAt(start) !== 91;
      if (yamlAfterJson) {
        e.hint = 'the input starts with JSON, so all of it is read as JSON values, as kubectl reads it, and YAML after them is not read: put the YAML in a file of its own, or write the whole input as YAML';
      }
      // Resynchronize at the next object that starts a line: the one the error is at, too (a
      // missing closing brace is noticed at the next object's `{`).
      const at = e instanceof DocError ? Math.max(e.offset, start + 1) : start + 1;
      const next = text.indexOf('\n{', at - 1);
      // Without one, the rest of the input is lost with this value: say so, it may hold objects.
      if (next < 0 && !yamlAfterJson && e instanceof DocError && skipJsonSpace(text, e.offset + 1) < text.length) {
        e.hint += `; nothing after this point is read${/\n---/.test(text.slice(at)) ? ', the YAML documents after --- included' : ''}, as kubectl stops here too`;
      }
      fail(index, e, start, e instanceof DocError ? e.offset + 1 : start);
      if (next < 0) return;
      p = next + 1;
    }
  }
}

function readYaml(text: string, addDoc: AddDoc, fail: Fail, options: ReadOptions, onDuplicate: OnDuplicate): void {
  const chunks = splitYaml(text);
  const table = newFastTable();
  let nextSuspect = -2; // offset of the next SUSPECT_CHAR at or after the current chunk, -1 if none
  let nextBad = -2; // likewise for BAD_CHAR, looked for only in a chunk with a suspect character
  let nextBreak = -2; // likewise for GO_LINE_BREAK
  for (let index = 0; index < chunks.length; index++) {
    if (options.only && !options.only.has(index)) continue;
    const ch = chunks[index];
    try {
      if (nextSuspect !== -1 && nextSuspect < ch.start) {
        SUSPECT_CHAR.lastIndex = ch.start;
        const m = SUSPECT_CHAR.exec(text);
        nextSuspect = m ? m.index : -1;
      }
      let goBreak = false;
      if (nextSuspect >= 0 && nextSuspect < ch.end) {
        if (nextBad !== -1 && nextBad < ch.start) {
          BAD_CHAR.lastIndex = ch.start;
          const m = BAD_CHAR.exec(text);
          nextBad = m ? m.index : -1;
        }
        if (nextBad >= 0 && nextBad < ch.end) throw badCharError(text, nextBad);
        if (nextBreak !== -1 && nextBreak < ch.start) {
          GO_LINE_BREAK.lastIndex = ch.start;
          const m = GO_LINE_BREAK.exec(text);
          nextBreak = m ? m.index : -1;
        }
        goBreak = nextBreak >= 0 && nextBreak < ch.end;
      }
      if (ch.orphan) {
        throw new DocError('document content after the document end marker "..." without a new "---" line',
          'start the next document with a line containing only ---', ch.content);
      }
      let fast = null;
      if (options.consume) {
        // The previous document is done with: start the position table afresh.
        table.conts.length = 0;
        table.n = 0;
      }
      const keepLast = onDuplicate !== undefined;
      if (!ch.needsFull && !goBreak && options.path !== 'full') fast = parseFast(text, ch.content + (ch.bom ? 1 : 0), ch.end, null, table, keepLast);
      if (fast !== null) {
        if (fast.duplicates !== undefined) {
          const told = onDuplicate!(index);
          for (const d of fast.duplicates) told(d.key, d.offset);
        }
        if (fast.value === undefined) continue;
        const f = fast;
        // Positions come from the single pass; only documents whose keys are not their entries in
        // source order (integer-like keys, a key given twice) are read again, with full records, when asked.
        const again = f.reordered ? lazyLocator(() => {
          const rec: PosRecord = new Map();
          const r = parseFast(text, ch.content + (ch.bom ? 1 : 0), ch.end, rec, undefined, keepLast)!;
          return { value: r.value, rec, root: r.root };
        }) : null;
        addDoc(index, f.value, f.root, again ?? ((path) => locateFast(f, table, path)), ch.content);
        options.onDocument?.(index, 'fast');
        continue;
      }
      if (options.path === 'fast') throw new DocError('not readable by the fast reader', '', ch.content);
      // Not given the byte order mark go-yaml drops: the `yaml` package would drop it too, but
      // count it in the first line's indentation.
      const slow = parseSlow(text, ch.bom ? ch.content + 1 : ch.start, ch.end, onDuplicate?.(index));
      if (slow === null) continue;
      addDoc(index, slow.value, slow.root, (path) => locateOffset(slow.value, slow.rec, slow.root, path), ch.content);
      options.onDocument?.(index, 'full');
    } catch (e) {
      fail(index, e, ch.start, ch.end, ch.content);
    }
  }
}

function badCharError(text: string, at: number): DocError {
  const error = badCharErrorOf(text, at);
  error.notText = /binary data|byte order mark|compressed/.test(error.message);
  return error;
}

function badCharErrorOf(text: string, at: number): DocError {
  const code = text.charCodeAt(at);
  // gzip's magic number, 1f 8b (8b is no UTF-8: read as U+FFFD).
  if (at === 0 && code === 0x1f && text.charCodeAt(1) === 0xfffd) {
    return new DocError('the file is compressed with gzip, not a YAML or JSON text', 'decompress it first (gunzip -c writes the text to standard output, which check - reads)', at);
  }
  const u = 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
  if (code === 0) {
    // Text saved as UTF-16 without a byte order mark (some Windows editors and shells write it):
    // characters alternate with NULs.
    if (/(?:[\t\n\r\x20-\x7e]\0){4}|(?:\0[\t\n\r\x20-\x7e]){4}/.test(text.slice(Math.max(0, at - 8), at + 16))) {
      return new DocError('the document has a NUL byte (U+0000) between each of its characters: this looks like UTF-16 text without a byte order mark',
        'save the file as UTF-8 (or as UTF-16 with a byte order mark)', at);
    }
    return new DocError('the document contains a NUL byte (U+0000): this looks like binary data, not YAML',
      'check that the file is a text manifest', at);
  }
  if (code >= 0xd800 && code <= 0xdfff) {
    return new DocError(`the text contains an unpaired surrogate (${u})`, 'pass well-formed Unicode text', at);
  }
  if (looksBinary(text, at)) {
    return new DocError(`control character ${u} is not allowed in YAML: this looks like binary data or text not in UTF-8, not a manifest`,
      'check that the file is a text manifest; podsec reads UTF-8 (or UTF-16 with a byte order mark)', at);
  }
  return new DocError(`control character ${u} is not allowed in YAML`,
    `remove it, or write it as an escape inside a double-quoted string ("\\u${code.toString(16).padStart(4, '0')}")`, at);
}

/** Bytes that were no UTF-8 (read as U+FFFD) or a NUL near a control character: not a stray one. */
function looksBinary(text: string, at: number): boolean {
  const near = text.slice(Math.max(0, at - 2048), at + 2048);
  return near.includes('\ufffd') || near.includes('\0');
}

function isBlankOrEnd(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === 32 || c === 10 || c === 9;
}

/**
 * Whether kubectl takes the input for JSON: when its first character that is not a space (Go's
 * unicode.IsSpace: U+00A0 and U+3000 are, U+FEFF is not) is `{`, and that `{` is within the first
 * 4096 bytes (as UTF-8, line ends as in the file), all that kubectl looks at; after more spaces
 * it reads the input as YAML.
 */
function startsAsJson(text: string): boolean {
  let bytes = 0;
  let i = 0;
  for (; i < text.length && isGoSpace(text.charCodeAt(i)); i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return i < text.length && text.charCodeAt(i) === 123 && bytes < 4096;
}

/** Go's unicode.IsSpace, which strings.TrimSpace uses. */
function isGoSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Whether kubectl's stream reader takes a line starting with `---` as a separator: what follows,
 * trimmed of spaces (Unicode ones too), is empty or a comment. `---#c` and `---<U+00A0>` are
 * separators to it, though YAML reads them as text.
 */
function isKubectlSeparator(text: string, from: number, le: number): boolean {
  let q = from;
  while (q < le && isGoSpace(text.charCodeAt(q))) q++;
  return q === le || text.charCodeAt(q) === 35;
}

/** Splits a YAML stream at `---` and `...` lines (always document markers at column 0). */
export function splitYaml(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const n = text.length;
  // The implicit first document counts only when it has content. go-yaml drops a byte order mark
  // at the start of what it is given, also when the input had one before it (`<BOM><BOM>a: 1`).
  let cur: Chunk | null = { start: 0, content: 0, end: n, needsFull: false, orphan: false, bom: text.charCodeAt(0) === 0xfeff };
  let curExplicit = false;
  let curHasContent = false;
  let dirStart = -1;
  // Where kubectl's stream reader last split the stream (or the input starts). It splits at a
  // separator line only when a line precedes it since then, and drops that line; a separator
  // line with nothing before it is passed on with the document. So of `---` lines in a row, every
  // second one splits.
  let afterSep = 0;
  const close = (at: number): void => {
    if (cur !== null && (curExplicit || curHasContent)) {
      cur.end = at;
      chunks.push(cur);
    }
    cur = null;
  };
  let ls = 0;
  while (ls < n) {
    let le = text.indexOf('\n', ls);
    if (le < 0) le = n;
    const c = text.charCodeAt(ls);
    const dashes = c === 45 && text.startsWith('---', ls);
    let splits = false;
    let inline = false;
    if (dashes) {
      splits = ls > afterSep && isKubectlSeparator(text, ls + 3, le);
      let rest = ls + 3;
      while (rest < le && (text.charCodeAt(rest) === 32 || text.charCodeAt(rest) === 9)) rest++;
      inline = rest < le && text.charCodeAt(rest) !== 35;
    }
    if (splits && (inline || !isBlankOrEnd(text, ls + 3))) {
      // A separator to kubectl that YAML would read as text (`---#c`, `---<U+00A0>`): kubectl
      // drops the line and reads the next lines as a document of their own.
      close(ls);
      if (dirStart >= 0) chunks.push({ start: dirStart, content: dirStart, end: ls, needsFull: true, orphan: false, bom: false });
      dirStart = -1;
      afterSep = le + 1;
      cur = { start: afterSep, content: afterSep, end: n, needsFull: false, orphan: false, bom: text.charCodeAt(afterSep) === 0xfeff };
      curExplicit = true;
      curHasContent = false;
    } else if (dashes && isBlankOrEnd(text, ls + 3)) {
      close(ls);
      // go-yaml drops a byte order mark only at the start of what it is given, not after a `---`
      // line passed on with the document.
      const bom = !inline && dirStart < 0 && splits && text.charCodeAt(le + 1) === 0xfeff;
      if (splits) afterSep = le + 1;
      cur = { start: dirStart >= 0 ? dirStart : ls, content: Math.min(le + 1, n), end: n, needsFull: inline || dirStart >= 0, orphan: false, bom };
      curExplicit = true;
      curHasContent = inline;
      dirStart = -1;
    } else if (c === 46 && text.startsWith('...', ls) && isBlankOrEnd(text, ls + 3)) {
      close(ls);
    } else if (c === 37 && (cur === null || !curHasContent)) {
      if (cur !== null) close(ls);
      if (dirStart < 0) dirStart = ls;
    } else {
      let q = ls;
      while (q < le && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      if (q < le && text.charCodeAt(q) !== 35) {
        if (cur === null) {
          cur = { start: dirStart >= 0 ? dirStart : ls, content: ls, end: n, needsFull: true, orphan: dirStart < 0, bom: false };
          curExplicit = false;
          dirStart = -1;
        }
        curHasContent = true;
      }
    }
    ls = le + 1;
  }
  close(n);
  if (dirStart >= 0) {
    // Directives with no document after them.
    chunks.push({ start: dirStart, content: dirStart, end: n, needsFull: true, orphan: false, bom: false });
  }
  return chunks;
}

/**
 * The input as kubectl's file reader gives it: UTF-16 by its byte order mark, otherwise UTF-8 with
 * a byte order mark dropped and each invalid sequence read as U+FFFD (as TextDecoder replaces
 * them: kubectl gives the same characters).
 */
function decode(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const b = input;
  if (isUtf16(b)) return new TextDecoder(b[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(b);
  return new TextDecoder('utf-8').decode(b);
}

function isUtf32(b: Uint8Array): boolean {
  return b.length >= 4 && ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff));
}

function isUtf16(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}

/** Where the first sequence that is not UTF-8 starts, and how many there are (as TextDecoder counts them). */
function invalidUtf8(b: Uint8Array): { offset: number; count: number } {
  let offset = -1;
  let count = 0;
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const [len, min, max] = c < 0x80 ? [1, 0, 0] : c >= 0xc2 && c <= 0xdf ? [2, 0x80, 0xbf]
      : c === 0xe0 ? [3, 0xa0, 0xbf] : c === 0xed ? [3, 0x80, 0x9f] : c >= 0xe1 && c <= 0xef ? [3, 0x80, 0xbf]
        : c === 0xf0 ? [4, 0x90, 0xbf] : c === 0xf4 ? [4, 0x80, 0x8f] : c >= 0xf1 && c <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    // A sequence cut short is one replacement, as far as it went (the second byte has its own range).
    let n = 1;
    while (n < len && i + n < b.length && b[i + n]! >= (n === 1 ? min : 0x80) && b[i + n]! <= (n === 1 ? max : 0xbf)) n++;
    if (len === 0 || n < len) {
      if (offset < 0) offset = i;
      count++;
      i += len === 0 ? 1 : n;
    } else i += len;
  }
  return { offset, count };
}
