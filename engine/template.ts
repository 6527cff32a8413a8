/**
 * Message templates: text with `{{function arguments}}` calls over the findings of a check,
 * parsed and checked once, at load time. TEMPLATE_FUNCTIONS documents the functions.
 */
import { CompileProblem, type CompiledFinding, type CompiledScope } from './compile.js';
import type { Offender, TextNode } from './model.js';
import { joinQuote, sortUnique } from './text.js';

/**
 * Offenders per finding, indexed by the finding's position in its check; with, when known, each
 * subject's position in its scope's visit order (to merge the subjects of several findings).
 */
export type FindingResults = Offender[][] & { subjectOrder?: (scope: CompiledScope) => ReadonlyMap<string, number> };
/**
 * What a rendered message used, by finding index: set to 1 for each finding whose data the
 * rendered text drew on (a function call names it), and for each finding named in the `when` of a
 * shown literal node (one whose text calls no function, such as `hostNetwork=true`). Nodes that
 * were not shown mark nothing. The caller clears it before rendering.
 */
export type UsedFindings = Uint8Array;
export type CompiledText = (results: FindingResults, used?: UsedFindings) => string;

type Piece = string | CompiledText;

const TOKEN = /"((?:[^"\\]|\\.)*)"|(;)|([A-Za-z_][A-Za-z0-9_]*)/g;

interface Args {
  groups: CompiledFinding[][];
  strings: string[];
}

function parseArgs(text: string, findings: Map<string, CompiledFinding>, pointer: string): { fn: string; mode?: string; args: Args } {
  const tokens: { kind: 'str' | 'sep' | 'word'; text: string }[] = [];
  TOKEN.lastIndex = 0;
  let consumed = '';
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    consumed += m[0];
    if (m[1] !== undefined) tokens.push({ kind: 'str', text: JSON.parse(`"${m[1]}"`) as string });
    else if (m[2]) tokens.push({ kind: 'sep', text: ';' });
    else tokens.push({ kind: 'word', text: m[3]! });
  }
  if (consumed.replace(/\s/g, '') !== text.replace(/\s/g, '')) {
    throw new CompileProblem(pointer, `cannot read "{{${text}}}"`, 'write {{function finding …}}, with literal text in double quotes');
  }
  const first = tokens.shift();
  if (!first || first.kind !== 'word') throw new CompileProblem(pointer, `"{{${text}}}" does not start with a function name`, `use one of: ${FUNCTIONS.join(', ')}`);
  let mode: string | undefined;
  if (first.text === 'plural') {
    const m = tokens.shift();
    if (!m || m.kind !== 'word' || (m.text !== 'subjects' && m.text !== 'values')) {
      throw new CompileProblem(pointer, `"{{${text}}}": plural needs "subjects" or "values" next`, 'write {{plural subjects F "one" "many"}} or {{plural values F "one" "many"}}');
    }
    mode = m.text;
  }
  const groups: CompiledFinding[][] = [[]];
  const strings: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'str') strings.push(t.text);
    else if (t.kind === 'sep') groups.push([]);
    else {
      const f = findings.get(t.text);
      if (!f) throw new CompileProblem(pointer, `"{{${text}}}" names no finding "${t.text}"`, `use one of: ${[...findings.keys()].join(', ')}`, undefined, t.text);
      groups.at(-1)!.push(f);
    }
  }
  return { fn: first.text, mode, args: { groups: groups.filter((g) => g.length), strings } };
}

export const TEMPLATE_FUNCTIONS: Record<string, { usage: string; description: string }> = {
  setters: {
    usage: '{{setters A B}}',
    description:
      'The subjects of findings A, B, grouped by scope and joined with " and ": `pod and containers "a", "b"`. Scopes come in the order the findings name them; a scope with names lists them quoted, in visit order (sorted with `sortSubjects`). A subject that several of the findings collect is listed once: findings `s` and `t` of containers a (s) and b (s and t) give `containers "a", "b"`.',
  },
  values: {
    usage: '{{values A B ; C}}',
    description: 'The values the findings recorded, each quoted: `"x", "y"`. Each `;`-separated group is sorted byte-wise and de-duplicated; groups follow each other.',
  },
  sorted: { usage: '{{sorted A}}', description: 'Like `values`, unquoted, joined with ", ".' },
  list: { usage: '{{list A}}', description: 'The recorded values in the order found, unquoted, not de-duplicated, joined with ", ".' },
  plural: {
    usage: '{{plural subjects A "uses" "use"}} / {{plural values A ; B "type" "types"}}',
    description: 'The first word when there is exactly one subject (counted as `setters` lists them) or one value (counted as `values` lists them), else the second.',
  },
  parts: { usage: '{{parts}}', description: "Inside a node's `text`: its `parts` that apply, joined with `join`." },
};

const FUNCTIONS = Object.keys(TEMPLATE_FUNCTIONS);

/** `{{setters …}}`: labels of the subjects per scope, joined with " and ". */
function setters(results: FindingResults, group: CompiledFinding[]): string {
  if (group.length > 1) return mergedSetters(results, group);
  let out = '';
  for (const finding of group) {
    const offenders = results[finding.index];
    if (!offenders || offenders.length === 0) continue;
    for (let i = 0; i < finding.scopes.length; i++) {
      const { singular, plural, names: showNames } = finding.scopes[i]!.def.label;
      let label: string;
      if (finding.sortSubjects) {
        const names = sortUnique(offenders.filter((o) => o.scope === i).map((o) => o.name));
        if (names.length === 0) continue;
        label = names.length === 1 ? singular : plural;
        if (showNames) label += ' ' + joinQuote(names);
      } else {
        let count = 0;
        let quoted = '';
        for (const o of offenders) {
          if (o.scope !== i) continue;
          quoted += count++ ? ', "' + o.name + '"' : '"' + o.name + '"';
        }
        if (count === 0) continue;
        label = count === 1 ? singular : plural;
        if (showNames) label += ' ' + quoted;
      }
      out += out ? ' and ' + label : label;
    }
  }
  return out;
}

/** Like setters, for several findings: each scope once, each subject of a scope once. */
function mergedSetters(results: FindingResults, group: CompiledFinding[]): string {
  const byScope = new Map<CompiledScope, { names: string[]; sort: boolean; merged: boolean }>();
  for (const finding of group) {
    const offenders = results[finding.index] ?? [];
    finding.scopes.forEach((scope, i) => {
      const names = offenders.filter((o) => o.scope === i).map((o) => o.name);
      if (names.length === 0) return;
      const entry = byScope.get(scope);
      if (!entry) byScope.set(scope, { names, sort: finding.sortSubjects, merged: false });
      else {
        entry.names.push(...names);
        entry.sort ||= finding.sortSubjects;
        entry.merged = true;
      }
    });
  }
  let out = '';
  for (const [scope, { names, sort, merged }] of byScope) {
    let list = names;
    if (sort) list = sortUnique(names);
    else if (merged) {
      list = [...new Set(names)];
      const order = results.subjectOrder?.(scope);
      if (order) list.sort((a, b) => (order.get(a) ?? order.size) - (order.get(b) ?? order.size));
    }
    const { singular, plural, names: showNames } = scope.def.label;
    const label = (list.length === 1 ? singular : plural) + (showNames ? ' ' + joinQuote(list) : '');
    out += out ? ' and ' + label : label;
  }
  return out;
}

function subjectCount(results: FindingResults, groups: CompiledFinding[][]): number {
  const all = groups.flat();
  if (all.length > 1) {
    // As setters lists them: each subject of a scope once.
    const seen = new Map<CompiledScope, Set<string>>();
    for (const finding of all) {
      for (const o of results[finding.index] ?? []) {
        const scope = finding.scopes[o.scope]!;
        if (!seen.has(scope)) seen.set(scope, new Set());
        seen.get(scope)!.add(o.name);
      }
    }
    return [...seen.values()].reduce((n, names) => n + names.size, 0);
  }
  let n = 0;
  for (const g of groups) {
    for (const finding of g) {
      const offenders = results[finding.index] ?? [];
      n += finding.sortSubjects ? new Set(offenders.map((o) => `${o.scope}\u0000${o.name}`)).size : offenders.length;
    }
  }
  return n;
}

function rawValues(results: FindingResults, group: CompiledFinding[]): string[] {
  const out: string[] = [];
  for (const finding of group) {
    const offenders = results[finding.index];
    if (offenders) for (const o of offenders) for (const v of o.values) out.push(v);
  }
  return out;
}

function groupedValues(results: FindingResults, groups: CompiledFinding[][]): string[] {
  if (groups.length === 1) return sortUnique(rawValues(results, groups[0]!));
  const out: string[] = [];
  for (const g of groups) for (const v of sortUnique(rawValues(results, g))) out.push(v);
  return out;
}

/** Compiles one `{{…}}` call; the indexes of the findings it names go to `refs`. */
function compileCall(text: string, findings: Map<string, CompiledFinding>, pointer: string, parts: CompiledText | undefined, refs: Set<number>): CompiledText {
  const { fn, mode, args } = parseArgs(text, findings, pointer);
  const { groups, strings } = args;
  // The findings this call names: marked as used each time it renders.
  const ids = [...new Set(groups.flatMap((g) => g.map((f) => f.index)))];
  for (const i of ids) refs.add(i);
  const needFindings = (min: number) => {
    if (groups.flat().length < min) throw new CompileProblem(pointer, `"{{${text}}}" needs at least ${min} finding name${min > 1 ? 's' : ''}`, `name findings from: ${[...findings.keys()].join(', ')}`);
  };
  const noStrings = () => {
    if (strings.length) throw new CompileProblem(pointer, `"{{${text}}}" takes no quoted text`, 'remove the quoted words');
  };
  // Values come only from a finding's "record" or "values"; without them the text would be empty.
  const recorded = () => {
    for (const f of groups.flat()) {
      if (f.source.def.record === undefined && f.source.def.values === undefined) {
        throw new CompileProblem(pointer, `"{{${text}}}" shows the values of finding "${f.name}", which records none`, `add record: { path: "$.field" } to finding ${f.name} (the field whose value to show), or name its subjects with {{setters ${f.name}}}`);
      }
    }
  };
  const oneGroup = () => {
    if (groups.length > 1) throw new CompileProblem(pointer, `"{{${text}}}" takes no ";" groups`, 'list the findings without ";"');
  };
  switch (fn) {
    case 'setters': {
      needFindings(1); noStrings(); oneGroup();
      const g = groups[0]!;
      return (r, used) => {
        if (used !== undefined) mark(used, ids);
        return setters(r, g);
      };
    }
    case 'values':
      needFindings(1); noStrings(); recorded();
      return (r, used) => {
        if (used !== undefined) mark(used, ids);
        return joinQuote(groupedValues(r, groups));
      };
    case 'sorted':
      needFindings(1); noStrings(); recorded();
      return (r, used) => {
        if (used !== undefined) mark(used, ids);
        return groupedValues(r, groups).join(', ');
      };
    case 'list': {
      needFindings(1); noStrings(); oneGroup(); recorded();
      const g = groups[0]!;
      return (r, used) => {
        if (used !== undefined) mark(used, ids);
        return rawValues(r, g).join(', ');
      };
    }
    case 'plural': {
      needFindings(1);
      if (strings.length !== 2) throw new CompileProblem(pointer, `"{{${text}}}" needs two quoted words: singular and plural`, 'write {{plural subjects F "uses" "use"}}');
      const [one, many] = strings as [string, string];
      if (mode === 'subjects') {
        return (r, used) => {
          if (used !== undefined) mark(used, ids);
          return subjectCount(r, groups) === 1 ? one : many;
        };
      }
      recorded();
      return (r, used) => {
        if (used !== undefined) mark(used, ids);
        return groupedValues(r, groups).length === 1 ? one : many;
      };
    }
    case 'parts':
      if (!parts) throw new CompileProblem(pointer, '{{parts}} is used in a node without "parts"', 'add "parts" to this node, or remove {{parts}}');
      if (groups.length || strings.length) throw new CompileProblem(pointer, '{{parts}} takes no arguments', 'write {{parts}}');
      return parts;
    default:
      throw new CompileProblem(pointer, `unknown template function "${fn}"`, `use one of: ${FUNCTIONS.join(', ')}`);
  }
}

/** Marks findings as used (see UsedFindings). */
function mark(used: UsedFindings, ids: readonly number[]): void {
  for (let i = 0; i < ids.length; i++) used[ids[i]!] = 1;
}

interface CompiledTemplate {
  render: CompiledText;
  /** Indexes of the findings the text's function calls name (not counting `{{parts}}`). */
  refs: number[];
}

function compileText(text: string, findings: Map<string, CompiledFinding>, pointer: string, parts?: CompiledText): CompiledTemplate {
  const pieces: Piece[] = [];
  const named = new Set<number>();
  let last = 0;
  const re = /\{\{([\s\S]*?)\}\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) pieces.push(text.slice(last, m.index));
    pieces.push(compileCall(m[1]!.trim(), findings, pointer, parts, named));
    last = m.index + m[0].length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  for (const p of pieces) {
    if (typeof p === 'string' && (p.includes('{{') || p.includes('}}'))) throw new CompileProblem(pointer, `unbalanced "{{" or "}}" in "${text}"`, 'close every {{ with }}');
  }
  const refs = [...named].sort((a, b) => a - b);
  if (pieces.length === 0 || (pieces.length === 1 && typeof pieces[0] === 'string')) {
    const s = (pieces[0] as string | undefined) ?? '';
    return { render: () => s, refs };
  }
  let render: CompiledText | undefined;
  if (pieces.length === 1) render = pieces[0] as CompiledText;
  else if (pieces.length === 2) {
    const [a, b] = pieces as [Piece, Piece];
    if (typeof a !== 'string' && typeof b === 'string') render = (r, used) => a(r, used) + b;
    else if (typeof a === 'string' && typeof b !== 'string') render = (r, used) => a + b(r, used);
  }
  render ??= (r, used) => {
    let out = '';
    for (const p of pieces) out += typeof p === 'string' ? p : p(r, used);
    return out;
  };
  return { render, refs };
}

function compileTemplate(text: string, findings: Map<string, CompiledFinding>, pointer: string, parts?: CompiledText): CompiledText {
  return compileText(text, findings, pointer, parts).render;
}

function anyNonEmpty(names: CompiledFinding[]): (r: FindingResults) => boolean {
  return (r) => names.some((f) => (r[f.index]?.length ?? 0) > 0);
}

interface CompiledNode {
  when?: (r: FindingResults) => boolean;
  render: CompiledText;
}

function compileNode(node: TextNode, findings: Map<string, CompiledFinding>, pointer: string): CompiledNode {
  if (typeof node === 'string') return { render: compileTemplate(node, findings, pointer) };
  let when: CompiledNode['when'];
  let whenRefs: number[] = [];
  if (node.when) {
    const named = node.when.map((n, i) => {
      const f = findings.get(n);
      if (!f) throw new CompileProblem(`${pointer}/when/${i}`, `"when" names no finding "${n}"`, `use one of: ${[...findings.keys()].join(', ')}`, undefined, n);
      return f;
    });
    when = anyNonEmpty(named);
    whenRefs = [...new Set(named.map((f) => f.index))].sort((a, b) => a - b);
  }
  if (node.oneOf) {
    if (node.parts || node.text !== undefined) throw new CompileProblem(pointer, '"oneOf" cannot be combined with "text" or "parts"', 'put the text inside the alternatives');
    const alternatives = node.oneOf.map((n, i) => compileNode(n, findings, `${pointer}/oneOf/${i}`));
    const fallback = alternatives.findIndex((a) => !a.when);
    if (fallback >= 0 && fallback < alternatives.length - 1) {
      throw new CompileProblem(`${pointer}/oneOf/${fallback}`, 'this alternative has no "when", so it is always taken and the alternatives after it never are', 'add "when" to it, or move it last (the fallback)');
    }
    return {
      when,
      render: (r, used) => {
        for (const a of alternatives) if (!a.when || a.when(r)) return a.render(r, used);
        return '';
      },
    };
  }
  let parts: CompiledText | undefined;
  if (node.parts) {
    const compiled = node.parts.map((n, i) => compileNode(n, findings, `${pointer}/parts/${i}`));
    const sep = node.join ?? '';
    parts = (r, used) => {
      const shown: string[] = [];
      for (const p of compiled) if (!p.when || p.when(r)) shown.push(p.render(r, used));
      return shown.join(sep);
    };
  } else if (node.join !== undefined) {
    throw new CompileProblem(`${pointer}/join`, '"join" without "parts"', 'add "parts", or remove "join"');
  }
  const text = node.text ?? (parts ? '{{parts}}' : undefined);
  if (text === undefined) throw new CompileProblem(pointer, 'a message node needs "text", "parts" or "oneOf"', 'add "text"');
  const compiled = compileText(text, findings, `${pointer}${node.text !== undefined ? '/text' : ''}`, parts);
  // A literal leaf (`{ when: [hostNetwork], text: hostNetwork=true }`) speaks of the findings its
  // `when` names. A node with parts or function calls is credited by what those use instead.
  if (parts || compiled.refs.length > 0 || whenRefs.length === 0) return { when, render: compiled.render };
  const literal = compiled.render;
  return {
    when,
    render: (r, used) => {
      if (used !== undefined) mark(used, whenRefs);
      return literal(r);
    },
  };
}

export function compileTemplateNode(node: TextNode, findings: Map<string, CompiledFinding>, pointer: string): CompiledText {
  return compileNode(node, findings, pointer).render;
}
