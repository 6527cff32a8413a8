/**
 * The verdicts of a whole check list as one generated function, walking each scope once: every
 * subject is read once and tested against all the findings that walk its scope, and the reads
 * that several conditions share are made once per subject. Returns a bit per failing check.
 */
import { buildRaw, conditionExpr, hoistReads, iterateCode, leafReads, nameConstant, newContext, precompiledRaw, type CodegenContext, type FactVars, type Precompiled } from './codegen.js';
import type { CompiledCheck, CompiledFinding, CompiledScope } from './compile.js';
import type { Segment } from './paths.js';

export const MAX_FUSED_CHECKS = 30;

interface Member {
  bit: number;
  finding: CompiledFinding;
}

export function fuseChecks(checks: readonly CompiledCheck[]): (pod: unknown) => number {
  const { ctx, body } = fusedCode(checks);
  return buildRaw(ctx, body) as (pod: unknown) => number;
}

/** The fused function's code as a build writes it; undefined if a constant cannot be written. */
export function precompileFused(checks: readonly CompiledCheck[]): Precompiled | undefined {
  const { ctx, body } = fusedCode(checks);
  return precompiledRaw(ctx, body);
}

function fusedCode(checks: readonly CompiledCheck[]): { ctx: CodegenContext; body: string } {
  if (checks.length > MAX_FUSED_CHECKS) throw new RangeError(`at most ${MAX_FUSED_CHECKS} checks can be fused`);
  const ctx = newContext({});
  const vars: FactVars = { element: 'el', pod: 'pod', key: 'k', value: 'v', name: 'n' };
  const podVars: FactVars = { element: 'pod', pod: 'pod', key: 'undefined', value: 'undefined', name: '""' };

  // Group the deciding findings by the scope they walk.
  const byScope = new Map<CompiledScope, Member[]>();
  checks.forEach((check, i) => {
    for (const finding of check.findings) {
      if (!finding.decisive) continue;
      for (const scope of finding.scopes) {
        const members = byScope.get(scope) ?? [];
        members.push({ bit: 2 ** i, finding });
        byScope.set(scope, members);
      }
    }
  });

  // Reads from the pod, hoisted once for the whole function.
  const podReads: Segment[][] = [];
  for (const check of checks) if (check.exemptWhen) for (const r of leafReads(check.exemptWhen)) podReads.push(r.segments);
  for (const [scope, members] of byScope) {
    for (const path of scope.paths) podReads.push(path.segments.slice(0, path.segments.findIndex((s) => s.kind === 'wildcard') >>> 0));
    for (const m of members) for (const r of leafReads(m.finding.source.def.when)) if (r.fact === 'pod') podReads.push(r.segments);
  }
  let code = hoistReads(ctx, 'pod', podReads);

  checks.forEach((check, i) => {
    if (!check.exemptWhen) return;
    ctx.sets = check.sets;
    code += `if (${conditionExpr(ctx, check.exemptWhen, podVars)}) done |= ${2 ** i};\n`;
  });

  let label = 0;
  for (const [scope, members] of byScope) {
    const scopeBits = members.reduce((acc, m) => acc | m.bit, 0);
    for (const path of scope.paths) {
      code += iterateCode(ctx, 'pod', path.segments, 'el', 'k', () => {
        // Reads from this subject: hoisted per subject, forgotten after it.
        const elementReads: Segment[][] = [];
        for (const m of members) {
          for (const r of leafReads(m.finding.source.def.when)) if (r.fact === 'element') elementReads.push(r.segments);
          for (const vp of m.finding.source.valuePaths) elementReads.push(vp.segments.slice(0, vp.segments.findIndex((s) => s.kind === 'wildcard') >>> 0));
        }
        const saved = ctx.cache;
        ctx.cache = new Map(saved);
        let body = hoistReads(ctx, 'el', elementReads);
        for (const m of members) {
          const { def, valuePaths, sets, usesName } = m.finding.source;
          ctx.sets = sets;
          const open = `if (((mask | done) & ${m.bit}) === 0) {`;
          const nameCode = usesName ? `n = ${nameConstant(ctx, scope)}(el, k); ` : '';
          if (valuePaths.length === 0) {
            body += `${open} ${nameCode}if (${conditionExpr(ctx, def.when, vars)}) mask |= ${m.bit}; }\n`;
          } else {
            const l = `v${label++}`;
            const hit = `{ mask |= ${m.bit}; break ${l}; }`;
            const loops = valuePaths.map((vp) => iterateCode(ctx, 'el', vp.segments, 'v', 'vk', `if (${conditionExpr(ctx, def.when, vars)}) ${hit}`, def.valueDefault)).join(' ');
            body += `${open} ${nameCode}${l}: { ${loops} } }\n`;
          }
        }
        ctx.cache = saved;
        return `if (((mask | done) & ${scopeBits}) !== ${scopeBits}) { ${body} }`;
      });
      code += '\n';
    }
  }
  const locals = ['mask = 0', 'done = 0', 'el', 'k', 'n = ""', 'v', 'vk', ...ctx.temps];
  return { ctx, body: `let ${locals.join(', ')};\n${code}\nreturn mask & ~done;` };
}
