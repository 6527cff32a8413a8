/** API-server defaulting, compiled from rules/defaulting.yaml. */
import { buildFunction, conditionExpr, iterateCode, newContext } from './codegen.js';
import { compileCondition, compileScope, CompileProblem, type Predicate } from './compile.js';
import type { DefaultingDef } from './model.js';
import { compileGetter, parsePath, walk } from './paths.js';

export type DefaultingMode = 'pod' | 'template' | 'none';

export interface CompiledDefaulting {
  /** Returns the pod as the API server would store it; the input is never modified. */
  apply(pod: unknown, mode: DefaultingMode): unknown;
}

interface CompiledDefault {
  def: DefaultingDef;
  objects: Set<string>;
  scope: ReturnType<typeof compileScope>;
  when: Predicate;
  set: { key: string; value?: unknown; from?: (el: unknown) => unknown }[];
}

export function compileDefaulting(defs: DefaultingDef[]): CompiledDefaulting {
  const compiled: CompiledDefault[] = defs.map((def, i) => {
    const pointer = `/defaults/${i}`;
    const paths = Array.isArray(def.in) ? def.in : [def.in];
    const scope = compileScope({ id: def.id, paths, label: { singular: '', plural: '', names: false } }, `${pointer}/in`);
    const when = compileCondition(def.when, { sets: {}, facts: new Set(['element', 'pod']) }, `${pointer}/when`);
    const set = def.set.map((s, j) => {
      if (s.from === undefined) return { key: s.key, value: s.value };
      const get = compileGetter(parsePath(s.from));
      if (parsePath(s.from).hasWildcard) throw new CompileProblem(`${pointer}/set/${j}/from`, '"from" cannot contain wildcards', 'name one field of the element');
      return { key: s.key, from: (el: unknown) => get(el, '') };
    });
    return { def, objects: new Set(def.objects), scope, when, set };
  });
  // One generated test per mode: does any default apply? Most pods need none.
  const needsAny = new Map<string, (pod: unknown) => boolean>();
  for (const mode of ['pod', 'template']) {
    const ctx = newContext({});
    let statements = '';
    for (const d of compiled.filter((c) => c.objects.has(mode))) {
      const cond = conditionExpr(ctx, d.def.when, { element: 'el', pod: 'pod', key: 'k', value: 'undefined', name: '""' });
      for (const path of d.scope.paths) statements += iterateCode(ctx, 'pod', path.segments, 'el', 'k', `if (${cond}) return true;`);
    }
    needsAny.set(mode, buildFunction(ctx, statements, ['el', 'k']));
  }
  return {
    apply(pod, mode) {
      if (mode === 'none' || !needsAny.get(mode)!(pod)) return pod;
      const needed = compiled.filter((d) => d.objects.has(mode) && d.scope.iterate(pod, (el) => d.when(el, pod, undefined, undefined, '')));
      // Copy only the objects on the way to what changes; the rest is shared with the input.
      const edits: { path: (string | number)[]; set: CompiledDefault['set']; el: unknown }[] = [];
      for (const d of needed) {
        for (const path of d.scope.paths) {
          walk(pod, path, '', [], (el, _key, at) => {
            if (d.when(el, pod, undefined, undefined, '')) edits.push({ path: [...at!], set: d.set, el });
          });
        }
      }
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
        for (const s of edit.set) node[s.key] = s.from ? s.from(edit.el) : cloneJson(s.value);
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
