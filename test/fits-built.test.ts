// A build writes the field-type fit tests' code as a module (dist/admission/decode.fits.cjs), which
// a run loads with its code cache; a schema or generator changed since makes the run generate the
// code again. Each case runs a copy of dist/ and schemas/.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import * as fromSources from '../admission/field-types.js';
import { randomPod, rng } from './helpers/random-pods.js';
import { ensureBuilt, projectRoot } from './helpers/shared.js';

type FieldTypes = typeof import('../admission/field-types.js');

ensureBuilt();

async function builtCopy(t: Test, edit: (root: string) => void): Promise<FieldTypes> {
  const dir = t.testdir();
  cpSync(join(projectRoot, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(projectRoot, 'schemas'), join(dir, 'schemas'), { recursive: true });
  edit(dir);
  return (await import(pathToFileURL(join(dir, 'dist', 'admission', 'field-types.js')).href)) as FieldTypes;
}

t.test("the build's fit tests are used, and judge as the code the sources generate", async (t) => {
  const built = await builtCopy(t, () => {});
  const random = rng(20261129);
  const disagreements: string[] = [];
  let misfits = 0;
  for (let i = 0; i < 1500; i++) {
    const pod = randomPod(random) as Record<string, unknown>;
    // Every third one with a key no type has, every fifth with a wrongly typed field.
    if (i % 3 === 0) pod.spec = { ...(pod.spec as object), hostNetwrok: true };
    if (i % 5 === 0) pod.spec = { ...(pod.spec as object), hostPID: 'true' };
    for (const strict of [false, true]) {
      const verdict = built.objectFits('Pod', pod, strict);
      if (!verdict) misfits++;
      if (verdict !== fromSources.objectFits('Pod', pod, strict)) disagreements.push(`${i} strict=${strict}`);
    }
  }
  t.equal(built.fitsOriginNow(), 'build', "the build's module");
  t.equal(fromSources.fitsOriginNow(), 'generated', 'the sources have no build beside them');
  t.ok(misfits > 1000, `${misfits} of 3000 verdicts are misfits`);
  t.same(disagreements, [], 'the same verdict on every pod, lenient and strict');
});

const HOSTNAME_AS_NUMBER = { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'i' }], hostname: 5 } };

t.test('a schema, generator or module changed since the build makes the code generated again', async (t) => {
  const cases: [string, (root: string) => void, boolean][] = [
    // The PodSpec's hostname typed as an integer: the new schema's verdict, not the build's.
    ['the schema changed', (root) => {
      const file = join(root, 'schemas', 'decode.schema.json');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { $defs: Record<string, { properties?: Record<string, { type?: string[] }> }> };
      const spec = Object.values(schema.$defs).find((d) => d.properties?.hostname && d.properties?.containers)!;
      spec.properties!.hostname = { type: ['integer', 'null'] };
      writeFileSync(file, JSON.stringify(schema));
    }, true],
    ['field-types.js changed', (root) => {
      const file = join(root, 'dist', 'admission', 'field-types.js');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// changed\n`);
    }, false],
    ['no module', (root) => rmSync(join(root, 'dist', 'admission', 'decode.fits.cjs')), false],
  ];
  for (const [what, edit, hostnameAsNumberFits] of cases) {
    await t.test(what, async (t) => {
      const built = await builtCopy(t, edit);
      t.equal(built.objectFits('Pod', HOSTNAME_AS_NUMBER), hostnameAsNumberFits, `a numeric hostname ${hostnameAsNumberFits ? 'fits' : 'does not fit'}`);
      t.equal(built.fitsOriginNow(), 'generated');
    });
  }
});
