/** Reads a YAML file for the loader, keeping enough of the syntax tree to point at any node. */
import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import { explainYamlError } from './yaml-syntax.js';

let yamlModule: typeof import('yaml') | undefined;
/** The `yaml` package, loaded on first use (about 35 ms); start-up does not pay for it. */
export const yaml = (): typeof import('yaml') => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  data: unknown;
  /** Position of the node at a JSON Pointer; `atKey` points at a map entry's key. */
  locate(pointer: string, atKey?: boolean): Position;
  /**
   * Errors of YAML syntax; and, with `notSyntax`, valid YAML that is not read (nesting or alias
   * expansion past the limits, a tag that does not apply), with a `hint` of their own.
   */
  syntaxErrors: { message: string; position: Position; notSyntax?: boolean; hint?: string }[];
  /** For a file of several documents (an error): what the first holds. */
  firstOfMany?: unknown;
}

/** Weighed as yaml counts it: each use by the aliases inside what it names. */
const MAX_ALIAS_COUNT = 1_000;

/** A JSON Pointer segment's key, and a key as a segment (RFC 6901). */
export function unescapePointer(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function readYamlSource(text: string): YamlSource {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const options = { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' } as const;
  let doc = parseDocument(text, { lineCounter, ...options });
  let firstOfMany: unknown;
  // A "---" before or after the one document (an empty one) is no second document.
  if (doc.errors.some((e) => e.code === 'MULTIPLE_DOCS')) {
    const docs = parseAllDocuments(text, options);
    const empty = (d: (typeof docs)[number]) => d.errors.length === 0 && (d.contents === null || (isScalar(d.contents) && d.contents.value === null));
    const filled = Array.isArray(docs) ? docs.filter((d) => !empty(d)) : [];
    if (filled.length === 1) doc = filled[0]! as typeof doc;
    // What the first one holds tells what kind of file this is (a manifest of several objects).
    else if (filled.length > 1 && filled[0]!.errors.length === 0) {
      try {
        firstOfMany = filled[0]!.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch {
        // Only a hint: left unset.
      }
    }
  }
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntaxErrors = doc.errors.map((e) => {
    // The parser's own advice (parseAllDocuments) is for programmers, not for the file's author.
    if (e.code === 'MULTIPLE_DOCS') return { message: 'the file holds more than one YAML document: a "---" line starts another; keep one per file', position: pos(e.pos[0]) };
    if (e.code === 'RESOURCE_EXHAUSTION') {
      const stack = /call stack/.test(e.message);
      return { message: stack ? 'collections are nested too deeply to read here' : e.message.split('\n')[0]!, position: pos(e.pos[0]), notSyntax: true, hint: stack ? 'nest fewer levels' : 'write the values out' };
    }
    return { ...explainYamlError(e, text), position: pos(e.pos[0]) };
  });
  // A tag the schema cannot apply (!!float 1, !custom x) would leave the value a string, unnoticed.
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!') ?? 'a tag';
    syntaxErrors.push({ message: `the tag ${tag} does not apply to this value, so it would be read as a string`, position: pos(w.pos[0]), notSyntax: true, hint: 'remove the tag, and write the value as it is meant' });
  }
  const locate = (pointer: string, atKey = false): Position => {
    const parts = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
    let node: unknown = doc.contents;
    let best: Position = node && (node as Node).range ? pos((node as Node).range![0]) : { line: 1, column: 1 };
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === part);
        if (!pair) break;
        const key = pair.key as Node;
        const last = i === parts.length - 1;
        if (key.range) best = pos(key.range[0]);
        node = pair.value;
        if (!last || atKey) continue;
        if (node && (node as Node).range) best = pos((node as Node).range![0]);
      } else if (isSeq(node)) {
        const item = node.items[Number(part)];
        if (!item) break;
        node = item;
        if ((item as Node).range) best = pos((item as Node).range![0]);
      } else break;
    }
    return best;
  };
  let data: unknown;
  if (!syntaxErrors.length) {
    try {
      // The count weighs each use by the aliases inside what it names: many uses of a plain value
      // pass, while aliases nested to expand exponentially (a "billion laughs") stop early.
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // Aliases that expand past maxAliasCount: a file to fix, not a crash.
      const alias = findAlias(doc.contents, yaml());
      syntaxErrors.push({ message: 'the aliases (*name) expand to far more data than the file holds', position: alias ? pos(alias) : { line: 1, column: 1 }, notSyntax: true, hint: 'write the values out instead of nesting aliases' });
    }
  }
  return { data, locate, syntaxErrors, ...(firstOfMany !== undefined ? { firstOfMany } : {}) };
}

/** Offset of the first alias in a document, where an alias expansion error is reported. */
function findAlias(node: unknown, y: typeof import('yaml')): number | undefined {
  let found: number | undefined;
  y.visit(node as Node, { Alias(_, n) {
    found = n.range?.[0];
    return y.visit.BREAK;
  } });
  return found;
}
