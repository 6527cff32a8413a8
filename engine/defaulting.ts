/** API-server defaulting, compiled from rules/defaulting.yaml. */
import { buildRaw, conditionExpr, iterateCode, newContext } from './codegen.js';
import { compileCondition, compileScope, CompileProblem } from './compile.js';
import type { DefaultingDef } from './model.js';
import { compileGetter, parsePath } from './paths.js';

export type DefaultingMode = 'pod' | 'template' | 'none';

export interface CompiledDefaulting {
  /** Returns the pod as the API server would store it; the input is never modified. */
  apply(pod: unknown, mode: DefaultingMode): unknown;
}

interface CompiledDefault {
  def: DefaultingDef;
  objects: Set<string>;
  scope: ReturnType<typeof compileScope>;
  set: { key: string; value?: unknown; from?: (el: unknown) => unknown }[];
}

export function compileDefaulting(defs: DefaultingDef[]): CompiledDefaulting {
  const compiled: CompiledDefault[] = defs.map((def, i) => {
    const pointer = `/defaults/${i}`;
    const paths = Array.isArray(def.in) ? def.in : [def.in];
    const scope = compileScope({ id: def.id, paths, label: { singular: '', plural: '', names: false } }, `${pointer}/in`);
    // Compiled once for its checks of facts and operators; the generated code below does the work.
    compileCondition(def.when, { sets: {}, facts: new Set(['element', 'pod']) }, `${pointer}/when`);
    const set = def.set.map((s, j) => {
      if (s.from === undefined) return { key: s.key, value: s.value };
      const get = compileGetter(parsePath(s.from));
      if (parsePath(s.from).hasWildcard) throw new CompileProblem(`${pointer}/set/${j}/from`, '"from" cannot contain wildcards', 'name one field of the element');
      return { key: s.key, from: (el: unknown) => get(el, '') };
    });
    return { def, objects: new Set(def.objects), scope, set };
  });
  // One generated function per mode: the elements to default, with their paths, or null for
  // the many pods that need nothing.
  type Edit = { rule: number; el: unknown; path: (string | number)[] };
  const findEdits = new Map<string, (pod: unknown) => Edit[] | null>();
  for (const mode of ['pod', 'template']) {
    const ctx = newContext({});
    let statements = '';
    compiled.forEach((d, rule) => {
      if (!d.objects.has(mode)) return;
      const cond = conditionExpr(ctx, d.def.when, { element: 'el', pod: 'pod', key: 'k', value: 'undefined', name: '""' });
      for (const path of d.scope.paths) {
        statements += iterateCode(ctx, 'pod', path.segments, 'el', 'k', (at) => `if (${cond}) (edits ??= []).push({ rule: ${rule}, el, path: [${at.join(', ')}] });`);
      }
    });
    findEdits.set(mode, buildRaw(ctx, `let el, k, edits = null${ctx.temps.length ? ', ' + ctx.temps.join(', ') : ''}; ${statements} return edits;`) as (pod: unknown) => Edit[] | null);
  }
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
        for (const s of compiled[edit.rule]!.set) node[s.key] = s.from ? s.from(edit.el) : cloneJson(s.value);
      }
      return copy;
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
  for (const k of Object.keys(value)) out[k] = cloneJson((value as Record<string, unknown>)[k]);
  return out;
}
