/** API-server defaulting, compiled from rules/defaulting.yaml. */
import { compileCondition, compileScope, CompileProblem, type Predicate } from './compile.js';
import type { DefaultingDef } from './model.js';
import { compileGetter, parsePath, walk } from './paths.js';

export type DefaultingMode = 'pod' | 'template' | 'none';

export interface CompiledDefaulting {
  /** Returns the pod as the API server would store it; the input is never modified. */
  apply(pod: unknown, mode: DefaultingMode): unknown;
}

interface CompiledDefault {
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
    return { objects: new Set(def.objects), scope, when, set };
  });
  return {
    apply(pod, mode) {
      if (mode === 'none') return pod;
      const active = compiled.filter((d) => d.objects.has(mode));
      const needed = active.filter((d) => d.scope.iterate(pod, (el) => d.when(el, pod, undefined, undefined, '')));
      if (needed.length === 0) return pod;
      const copy = structuredClone(pod);
      for (const d of needed) {
        for (const path of d.scope.paths) {
          walk(copy, path, '', undefined, (el) => {
            if (!d.when(el, copy, undefined, undefined, '')) return;
            const target = el as Record<string, unknown>;
            for (const s of d.set) target[s.key] = s.from ? s.from(el) : structuredClone(s.value);
          });
        }
      }
      return copy;
    },
  };
}
