// Pod specs `podsec check` must refuse as the API server's validation does: each case is run in a
// Pod and in a Deployment's template, and must give exactly its errors, where they are written.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TAP } from 'tap';
import type { Report } from '../../cli/report/model.js';
import { builtCli, cli } from './cli.js';
import { projectRoot } from './shared.js';

export async function check(stdin: string, run = cli): Promise<{ code: number; report: Report }> {
  const r = await run(['check', '--format', 'json', '-'], { stdin });
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

/** Where the built command's refusal tables came from: its build, or generated as it ran. */
async function builtTableOrigins(): Promise<Record<string, string>> {
  const built = (await import(pathToFileURL(join(projectRoot, 'dist', 'admission', 'refusal-table.js')).href)) as typeof import('../../admission/refusal-table.js');
  return built.tableOrigins();
}

export const POD_HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n';
export const DEPLOYMENT_HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n';
export const indent = (lines: string[], by: string): string => lines.map((l) => `${by}${l}\n`).join('');

/**
 * A case: its name, the spec's lines, and each error as [line within the spec (0-based; -1: the
 * `spec:` line itself), column within the line, the path upstream prints from the spec, its body].
 */
export type RefusalCase = [string, string[], [number, number, string, string][]];

export async function expectRefusals(t: Pick<TAP, 'equal' | 'same' | 'ok'>, cases: readonly RefusalCase[]): Promise<void> {
  for (const [name, spec, want] of cases) {
    for (const [head, by, shown, specPath] of [[POD_HEAD, '  ', 'Pod default/p', 'spec'], [DEPLOYMENT_HEAD, '      ', 'Deployment default/web', 'spec.template.spec']] as const) {
      const { code, report } = await check(head + indent(spec, by));
      const first = head.split('\n').length;
      t.equal(code, 2, `${name}: ${shown}`);
      t.same(report.resources, [], `${name}: ${shown} is not judged`);
      const expected = want.map(([line, column, path, body]) => [
        line < 0 ? first - 1 : first + line, line < 0 ? by.length - 1 : by.length + column,
        `${shown}: ${path ? `${specPath}.${path}` : specPath}: ${body} (the API server refuses the object)`,
      ]);
      t.same(report.errors.map((e) => [e.line, e.column, e.message]).sort(), expected.sort(), `${name}: ${shown}`);
      t.ok(report.errors.every((e) => e.kind === shown.split(' ')[0] && e.index === 0 && e.hint.endsWith('; podsec did not evaluate this object')), `${name}: kind, document, hint`);
      // The built command runs the code its build generated from the tables: it must say the same.
      t.same(await check(head + indent(spec, by), builtCli), { code, report }, `${name}: ${shown}, by the built command`);
    }
  }
  const origins = await builtTableOrigins();
  t.equal(origins['pod-spec-refusals.json'], 'build', 'the built command ran the code its build generated from the pod spec\'s table');
  for (const [table, origin] of Object.entries(origins)) t.equal(origin, 'build', `the built command ran the code its build generated from ${table}`);
}
