// A build writes the bundled rules' fused verdict code (dist/engine/fused.cjs), so that a run
// starts without compiling the rules' findings to generate it. Each case runs a copy of dist/ and
// rules/: the code as written must judge every pod as the code generated at run time does, and
// rules or generators changed since the build must make a run generate it again.
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { randomPod, rng } from './helpers/random-pods.js';
import { ensureBuilt, projectRoot } from './helpers/shared.js';

type EngineModule = typeof import('../engine/index.js');
type PrecompiledModule = typeof import('../engine/precompiled.js');

ensureBuilt();

const FAILING_POD = { metadata: {}, spec: { containers: [{ name: 'app', image: 'img', securityContext: { privileged: true } }] } };
const FAILING_REASONS = 'privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile';

/** A copy of dist/ and rules/ (under the project, so that its imports resolve), changed by `edit`. */
async function builtCopy(t: Test, edit: (root: string) => void): Promise<{ engine: EngineModule; precompiled: PrecompiledModule }> {
  const dir = t.testdir();
  for (const sub of ['dist', 'rules']) cpSync(join(projectRoot, sub), join(dir, sub), { recursive: true });
  edit(dir);
  const url = (name: string): string => pathToFileURL(join(dir, 'dist', 'engine', name)).href;
  return { engine: (await import(url('index.js'))) as EngineModule, precompiled: (await import(url('precompiled.js'))) as PrecompiledModule };
}

/** Every level's check list at every minor version, resolved (and so fused) once each. */
function resolveAll(evaluator: ReturnType<EngineModule['createEvaluator']>): string[] {
  const keys: string[] = [];
  const newest = Number(evaluator.newestVersion.slice(3));
  for (const level of ['baseline', 'restricted'] as const) {
    for (let minor = 0; minor <= newest; minor++) {
      evaluator.resolvePolicy(level, `v1.${minor}`);
      keys.push(`${level}:v1.${minor}`);
    }
  }
  return keys;
}

t.test('the built code is used for every level and version, and judges as the generated code does', async (t) => {
  const { engine, precompiled } = await builtCopy(t, () => {});
  const built = engine.createEvaluator();
  const policies = resolveAll(built);
  const { build, generated } = precompiled.fusedOrigins();
  t.equal(generated, 0, 'no check list is generated');
  t.ok(build >= 20, `the distinct check lists of ${policies.length} policies come from the build (${build})`);

  const fresh = engine.createEvaluator({ useCache: false });
  resolveAll(fresh);
  t.ok(precompiled.fusedOrigins().generated >= build, 'rules read without the cache have their code generated');

  const r = rng(0xf05ed);
  const got: unknown[] = [];
  const want: unknown[] = [];
  let failed = 0;
  for (let i = 0; i < 600; i++) {
    const pod = randomPod(r);
    for (const policy of policies) {
      const [level, version] = policy.split(':') as [string, string];
      const a = built.evaluate(pod, { level, version });
      const b = fresh.evaluate(pod, { level, version });
      if (!a.allowed) failed++;
      got.push(a);
      want.push(b);
    }
  }
  t.ok(failed > 1000 && failed < got.length - 1000, `both verdicts are common (${failed} of ${got.length} fail)`);
  t.same(got, want, 'the same verdicts, violations and messages');
});

t.test('changed rules or generators, or no built code, make a run generate the code', async (t) => {
  const cases: [string, (root: string) => void][] = [
    ['a rule changed since the build', (root) => appendFileSync(join(root, 'rules', 'baseline', 'privileged.yaml'), '\n# changed\n')],
    ['a generator changed since the build', (root) => appendFileSync(join(root, 'dist', 'engine', 'codegen.js'), '\n// changed\n')],
    ['no built code', (root) => rmSync(join(root, 'dist', 'engine', 'fused.cjs'))],
  ];
  // A subtest each: a copy of its own (modules are imported once per path).
  for (const [what, edit] of cases) {
    await t.test(what, async (t) => {
      const { engine, precompiled } = await builtCopy(t, edit);
      const evaluator = engine.createEvaluator();
      const result = evaluator.evaluate(FAILING_POD, { level: 'restricted', version: 'latest' });
      t.equal(result.forbiddenReason, FAILING_REASONS, 'the pod is judged');
      t.same(precompiled.fusedOrigins(), { build: 0, generated: 1 }, 'its code is generated');
    });
  }
});

t.test('a cached rule that no longer compiles says so when first used, and how to mend it', async (t) => {
  const { engine } = await builtCopy(t, (root) => {
    // The cache keeps the rules' parsed data under the hash of their texts: data edited in it is
    // what a run of a stale build reads.
    const file = join(root, 'dist', 'rules-cache.json');
    const cache = JSON.parse(readFileSync(file, 'utf8')) as { data: Record<string, { versions: { findings?: Record<string, { in?: unknown }> }[] }> };
    const rule = cache.data['baseline/privileged.yaml']!;
    for (const v of rule.versions) for (const f of Object.values(v.findings ?? {})) if (f.in !== undefined) f.in = '#noSuchScope';
    writeFileSync(file, JSON.stringify(cache));
  });
  const evaluator = engine.createEvaluator();
  t.throws(() => evaluator.evaluate(FAILING_POD, { level: 'baseline', version: 'latest' }), /the cached bundled rule privileged \(v1\.\d+\) no longer compiles: .*noSuchScope.*; rebuild podsec \(npm run build\)/);
});
