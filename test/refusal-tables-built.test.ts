// A build writes the refusal tables' generated code beside them (dist/admission/*.compiled.cjs), so
// that a run starts without generating it; a table or generator changed since is generated again.
// Each case runs a copy of dist/ (the built command's own tables are compared with the sources' in
// helpers/spec-refusals.ts).
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { ensureBuilt, projectRoot } from './helpers/shared.js';

type PodSpecModule = typeof import('../admission/pod-spec-refusals.js');
type TableModule = typeof import('../admission/refusal-table.js');

ensureBuilt();

const SPEC = { containers: [{ name: 'a', image: 'i' }] };
const ANNOTATIONS = { 'controller.kubernetes.io/pod-deletion-cost': 'x' };

/** A copy of dist/ (under the project, so its imports resolve), changed by `edit`, and its modules. */
async function builtCopy(t: Test, edit: (admission: string) => void): Promise<{ spec: PodSpecModule; table: TableModule }> {
  const dir = t.testdir();
  cpSync(join(projectRoot, 'dist'), join(dir, 'dist'), { recursive: true });
  edit(join(dir, 'dist', 'admission'));
  const url = (name: string): string => pathToFileURL(join(dir, 'dist', 'admission', name)).href;
  return { spec: (await import(url('pod-spec-refusals.js'))) as PodSpecModule, table: (await import(url('refusal-table.js'))) as TableModule };
}

t.test('the built tables are used as the build wrote them', async (t) => {
  const { spec, table } = await builtCopy(t, () => {});
  const errors = spec.specRefusals(SPEC, ANNOTATIONS, 'pod');
  t.same(errors.map((e) => e.body), ['Invalid value: "x": must be a 32bit integer']);
  t.same(table.tableOrigins(), { 'pod-spec-refusals.json': 'build' });
});

t.test('a table changed since the build is generated from its new text', async (t) => {
  const { spec, table } = await builtCopy(t, (admission) => {
    const file = join(admission, 'pod-spec-refusals.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('must be a 32bit integer', 'must be a whole number'));
  });
  t.same(spec.specRefusals(SPEC, ANNOTATIONS, 'pod').map((e) => e.body), ['Invalid value: "x": must be a whole number']);
  t.same(table.tableOrigins(), { 'pod-spec-refusals.json': 'generated' });
});

t.test('a changed generator, or no build output, makes the tables generated too', async (t) => {
  for (const [what, edit] of [
    ['refusal-table.js changed', (admission: string) => writeFileSync(join(admission, 'refusal-table.js'), `${readFileSync(join(admission, 'refusal-table.js'), 'utf8')}\n// changed\n`)],
    ['no generated code', (admission: string) => rmSync(join(admission, 'pod-spec-refusals.compiled.cjs'))],
  ] as const) {
    // A subtest each: a copy of its own (modules are imported once per path).
    await t.test(what, async (t) => {
      const { spec, table } = await builtCopy(t, edit);
      t.same(spec.specRefusals(SPEC, ANNOTATIONS, 'pod').map((e) => e.body), ['Invalid value: "x": must be a 32bit integer']);
      t.same(table.tableOrigins(), { 'pod-spec-refusals.json': 'generated' });
    });
  }
});
