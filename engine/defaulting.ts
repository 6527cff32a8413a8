/** API-server defaulting, compiled from rules/defaulting.yaml. */
import { buildRaw, conditionExpr, iterateCode, nameConstant, newContext } from './codegen.js';
import { compileCondition, compileScope, CompileProblem, namePlaceholder, parsePathAt } from './compile.js';
import { DEFAULTED_OBJECTS, type DefaultingDef, type DefaultingMode } from './model.js';
import { compileGetter, PROTOTYPE_KEYS } from './paths.js';

export type { DefaultingMode };

export interface CompiledDefaulting {
  /** Returns the pod as the API server would store it; the input is never modified. */
  apply(pod: unknown, mode: DefaultingMode): unknown;
  /** Whether some default applies to this pod under one mode and not the other. */
  differs(pod: unknown, a: DefaultingMode, b: DefaultingMode): boolean;
}

interface CompiledDefault {
  def: DefaultingDef;
  objects: Set<string>;
  scope: ReturnType<typeof compileScope>;
  /** `at`: the keys from the element to the field set; the last one is the field. */
  set: { at: string[]; value?: unknown; from?: (el: unknown) => unknown }[];
}

/** The problems of each default of one file, each with a pointer into it. */
export function defaultProblems(defs: DefaultingDef[]): CompileProblem[] {
  const problems: CompileProblem[] = [];
  defs.forEach((def, i) => {
    try {
      compileDefault(def, i);
    } catch (err) {
      if (!(err instanceof CompileProblem)) throw err;
      problems.push(err);
    }
  });
  return problems;
}

function compileDefault(def: DefaultingDef, i: number): CompiledDefault {
  const pointer = `/defaults/${i}`;
  const paths = Array.isArray(def.in) ? def.in : [def.in];
  // Parsed here first so that a problem points at its own key (compileScope knows no file).
  paths.forEach((p, k) => parsePathAt(p, Array.isArray(def.in) ? `${pointer}/in/${k}` : `${pointer}/in`));
  if (def.name !== undefined && parsePathAt(def.name, `${pointer}/name`).hasWildcard) {
    throw new CompileProblem(`${pointer}/name`, `a name path cannot contain wildcards ("${def.name}")`, 'name one field of the element, such as "$.name"');
  }
  const usesName = namePlaceholder(def.when, `${pointer}/when`);
  if (usesName && def.name === undefined) {
    throw new CompileProblem(usesName, 'this path uses {name}, but the default does not say where its elements\' names are', 'add name: "$.name" (the path, in the element, of its name)');
  }
  const scope = compileScope({ id: def.id, paths, ...(def.name !== undefined ? { name: def.name } : {}), label: { singular: '', plural: '', names: false } }, `${pointer}/in`);
  // Compiled once for its checks of facts and operators; the generated code below does the work.
  compileCondition(def.when, { sets: {}, facts: new Set(['element', 'pod']) }, `${pointer}/when`);
  const set = def.set.map((s, j) => {
    // As in paths: setting __proto__ would change what the element inherits, not one of its fields.
    if (s.key !== undefined && PROTOTYPE_KEYS.has(s.key)) throw new CompileProblem(`${pointer}/set/${j}/key`, `"${s.key}" cannot be used as a field name`, 'name a field of the element, for example appArmorProfile');
    let at = [s.key!];
    if (s.path !== undefined) {
      const parsed = parsePathAt(s.path, `${pointer}/set/${j}/path`);
      if (parsed.segments.some((seg) => seg.kind !== 'key')) {
        throw new CompileProblem(`${pointer}/set/${j}/path`, '"path" can only name object fields (no wildcards, indexes or {…})', 'spell out the field, for example "$.securityContext.appArmorProfile"');
      }
      at = parsed.segments.map((seg) => (seg as { key: string }).key);
      if (at.length === 0) throw new CompileProblem(`${pointer}/set/${j}/path`, '"path" must name a field, not the element itself', 'add the field to set, for example "$.securityContext.appArmorProfile"');
    }
    if (s.from === undefined) return { at, value: s.value };
    const from = parsePathAt(s.from, `${pointer}/set/${j}/from`);
    if (from.hasWildcard) throw new CompileProblem(`${pointer}/set/${j}/from`, '"from" cannot contain wildcards', 'name one field of the element');
    const get = compileGetter(from);
    return { at, from: (el: unknown) => get(el, '') };
  });
  return { def, objects: new Set(def.objects), scope, set };
}

export function compileDefaulting(defs: DefaultingDef[]): CompiledDefaulting {
  const compiled = defs.map(compileDefault);
  // One generated function per set of defaults: the elements to default, with their paths, or
  // null for the many pods that need nothing.
  type Edit = { rule: number; el: unknown; path: (string | number)[] };
  const finder = (applies: (d: CompiledDefault) => boolean): ((pod: unknown) => Edit[] | null) => {
    const ctx = newContext({});
    let statements = '';
    compiled.forEach((d, rule) => {
      if (!applies(d)) return;
      // The name is computed only where the condition gets to a path that needs it.
      const name = d.def.name !== undefined ? `${nameConstant(ctx, d.scope)}(el, k)` : '""';
      const cond = conditionExpr(ctx, d.def.when, { element: 'el', pod: 'pod', key: 'k', value: 'undefined', name });
      for (const path of d.scope.paths) {
        statements += iterateCode(ctx, 'pod', path.segments, 'el', 'k', (at) => `if (${cond}) (edits ??= []).push({ rule: ${rule}, el, path: [${at.join(', ')}] });`);
      }
    });
    return buildRaw(ctx, `let el, k, edits = null${ctx.temps.length ? ', ' + ctx.temps.join(', ') : ''}; ${statements} return edits;`) as (pod: unknown) => Edit[] | null;
  };
  const findEdits = new Map<string, (pod: unknown) => Edit[] | null>();
  for (const mode of DEFAULTED_OBJECTS) findEdits.set(mode, finder((d) => d.objects.has(mode)));
  // Built on first use: only a caller comparing a workload's pods with its template needs them.
  const findDifferences = new Map<string, Map<string, (pod: unknown) => Edit[] | null>>();
  return {
    apply(pod, mode) {
      if (mode === 'none') return pod;
      const edits = findEdits.get(mode)!(pod);
      if (edits === null) return pod;
      // Copy only the objects on the way to what changes; the rest is shared with the input.
      const copies = new Set<unknown>();
      const copyOf = (v: unknown): Record<string | number, unknown> => {
        const c = Array.isArray(v) ? [...v] : { ...(v as object) };
        copies.add(c);
        return c as Record<string | number, unknown>;
      };
      const copy = copyOf(pod);
      for (const edit of edits) {
        let node = copy;
        for (const seg of edit.path) {
          let child = node[seg];
          if (!copies.has(child)) node[seg] = child = copyOf(child);
          node = child as Record<string | number, unknown>;
        }
        for (const s of compiled[edit.rule]!.set) {
          // Objects on the way that are absent (or not objects) are created, as Go allocates them.
          let target = node;
          for (let i = 0; i < s.at.length - 1; i++) {
            const key = s.at[i]!;
            const child = target[key];
            if (typeof child !== 'object' || child === null || Array.isArray(child)) {
              const created = {};
              copies.add(created);
              target[key] = created;
            } else if (!copies.has(child)) {
              target[key] = copyOf(child);
            }
            target = target[key] as Record<string | number, unknown>;
          }
          target[s.at[s.at.length - 1]!] = s.from ? s.from(edit.el) : cloneJson(s.value);
        }
      }
      return copy;
    },
    differs(pod, a, b) {
      if (a === b) return false;
      let byB = findDifferences.get(a);
      if (!byB) findDifferences.set(a, (byB = new Map()));
      let find = byB.get(b);
      if (!find) byB.set(b, (find = finder((d) => d.objects.has(a) !== d.objects.has(b))));
      return find(pod) !== null;
    },
  };
}

/** Deep copy of JSON data (what manifests and admission requests decode to). */
function cloneJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = cloneJson((value as Record<string, unknown>)[k]);
    // A "__proto__" key is data, as JSON.parse keeps it: assigned, it would set the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
