// The generated hot paths (per check, and fused per policy) against an independent reading of
// the same YAML (jsonpath-plus + json-rules-engine), and against the engine's own closures.
import t from 'tap';
import { RULE_LEVELS } from '../engine/api.js';
import { createEvaluator, type CompiledCheck } from '../engine/index.js';
import { randomPod, rng } from './helpers/random-pods.js';
import { referenceFails, referenceOffenders } from './reference/interpreter.js';

const evaluator = createEvaluator();
const { table } = evaluator;
const PODS = 1000;

/**
 * Few policies that between them run every revision of every check, chosen from the table: each
 * in turn the one that runs most of the revisions not yet run (newest first among equals).
 */
function coveringPolicies(): [string, string][] {
  const left = new Set([...table.compiled.values()].flat());
  const candidates = RULE_LEVELS.slice().reverse().flatMap((level) => Array.from({ length: table.newestMinor + 1 }, (_, i) => {
    const version = `v1.${table.newestMinor - i}`;
    return { level, version, checks: evaluator.resolvePolicy(level, version).checks };
  }));
  const chosen: [string, string][] = [];
  while (left.size > 0) {
    let best = candidates[0]!;
    let most = 0;
    for (const c of candidates) {
      const n = c.checks.filter((check) => left.has(check)).length;
      if (n > most) [best, most] = [c, n];
    }
    chosen.push([best.level, best.version]);
    for (const check of best.checks) left.delete(check);
  }
  return chosen;
}
const POLICIES = coveringPolicies();

t.test('generated verdicts and offenders agree with the reference interpreter', async (t) => {
  const random = rng(20261127);
  let comparisons = 0;
  let failures = 0;
  const mismatches: string[] = [];
  for (let n = 0; n < PODS; n++) {
    const pod = randomPod(random);
    for (const [level, version] of POLICIES) {
      const policy = evaluator.resolvePolicy(level, version);
      const mask = policy.failMask!(pod);
      policy.checks.forEach((check, i) => {
        if (((mask & (2 ** i)) !== 0) !== check.fails(pod)) mismatches.push(`${level}:${version} fused verdict of ${check.id}: ${JSON.stringify(pod)}`);
      });
      for (const check of policy.checks) {
        const rule = table.rules.find((r) => r.id === check.id)!;
        const def = rule.versions.find((v) => v.since === check.since)!;
        const fast = check.fails(pod);
        const slow = check.failsInterpreted(pod);
        const reference = await referenceFails(rule, def, table.scopes, pod);
        comparisons++;
        if (fast) failures++;
        if (fast !== reference || slow !== reference) mismatches.push(`${check.id}@v1.${check.since} verdict fast=${fast} closures=${slow} reference=${reference}: ${JSON.stringify(pod)}`);
        for (const finding of check.findings) {
          const strip = (o: { scope: number; name: string; values: string[] }[]) => o.map(({ scope, name, values }) => ({ scope, name, values }));
          const expected = await referenceOffenders(def.findings[finding.name]!, def, table.scopes, pod);
          const generated = strip(finding.collect(pod));
          const closures = strip(finding.collectInterpreted(pod));
          if (JSON.stringify(generated) !== JSON.stringify(expected) || JSON.stringify(closures) !== JSON.stringify(expected)) {
            mismatches.push(`${check.id}.${finding.name} offenders ${JSON.stringify(generated)} / ${JSON.stringify(closures)} vs ${JSON.stringify(expected)}: ${JSON.stringify(pod)}`);
          }
          if (finding.test(pod) !== expected.length > 0) mismatches.push(`${check.id}.${finding.name} test: ${JSON.stringify(pod)}`);
        }
      }
    }
  }
  t.comment(`${comparisons} check verdicts compared on ${PODS} random pods at ${POLICIES.map((p) => p.join(':')).join(', ')} (${failures} failing)`);
  t.ok(failures > comparisons / 20 && failures < comparisons * 0.8, 'the random pods both pass and fail checks');
  t.same(mismatches.slice(0, 5), []);
});

// The random pods are written by hand; what they must reach comes from the rules. A finding no
// pod breaks, an exemption no pod uses, or a revision no pod tells from the one before would go
// unchecked above without a word.
t.test('the random pods break every finding, use every exemption and tell every revision from the one before', async (t) => {
  const random = rng(20261127);
  const pods = Array.from({ length: PODS }, () => randomPod(random));
  const outcome = (check: CompiledCheck, pod: unknown) => JSON.stringify(check.fails(pod) ? check.explain(pod) : null);
  for (const [id, revisions] of table.compiled) {
    revisions.forEach((check, i) => {
      const at = `${id}@v1.${check.since}`;
      for (const finding of check.findings) {
        const broken = pods.filter((pod) => finding.test(pod)).length;
        t.ok(broken > 0 && broken < PODS, `${at}: some pods break ${finding.name}, some do not (${broken})`);
      }
      if (check.exemptWhen) {
        const spared = pods.filter((pod) => !check.fails(pod) && check.findings.some((f) => f.decisive && f.test(pod))).length;
        t.ok(spared > 0, `${at}: its exemption spares ${spared} pods that break it`);
      }
      const before = revisions[i - 1];
      if (before) t.ok(pods.some((pod) => outcome(before, pod) !== outcome(check, pod)), `${at}: some pod is judged otherwise than at v1.${before.since}`);
    });
  }
});
