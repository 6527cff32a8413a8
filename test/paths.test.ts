// Field paths: the subset of JSONPath rules may use, parsed strictly, so that a malformed path is
// an error rather than a key that never exists (a rule that never fires).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { parsePath, PathSyntaxError } from '../engine/paths.js';
import { projectRoot } from './helpers/shared.js';

/** Every string starting with "$" in a YAML file: the paths it uses. */
function pathsIn(file: string): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && v.startsWith('$')) out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(parse(readFileSync(file, 'utf8')));
  return out;
}

t.test('every path of the bundled rules, scopes, defaulting file and fixtures parses', async (t) => {
  const rules = join(projectRoot, 'rules');
  const fixtures = join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline');
  const files = [
    join(rules, 'scopes.yaml'),
    join(rules, 'defaulting.yaml'),
    ...['baseline', 'restricted'].flatMap((l) => readdirSync(join(rules, l)).map((f) => join(rules, l, f))),
    ...readdirSync(fixtures).map((f) => join(fixtures, f)),
  ];
  const paths = files.flatMap(pathsIn);
  t.ok(paths.length > 50, `${paths.length} paths`);
  for (const p of paths) t.doesNotThrow(() => parsePath(p), p);
});

t.test('accepted paths and what they read', async (t) => {
  const cases: [string, unknown[]][] = [
    ['$', []],
    ['$.securityContext.privileged', [{ kind: 'key', key: 'securityContext' }, { kind: 'key', key: 'privileged' }]],
    ['$.spec.containers[*]', [{ kind: 'key', key: 'spec' }, { kind: 'key', key: 'containers' }, { kind: 'wildcard' }]],
    ['$.metadata.annotations.*', [{ kind: 'key', key: 'metadata' }, { kind: 'key', key: 'annotations' }, { kind: 'wildcard' }]],
    ['$.ports[0].hostPort', [{ kind: 'key', key: 'ports' }, { kind: 'index', index: 0 }, { kind: 'key', key: 'hostPort' }]],
    ['$.ports.10', [{ kind: 'key', key: 'ports' }, { kind: 'index', index: 10 }]],
    ["$.metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']", [{ kind: 'key', key: 'metadata' }, { kind: 'key', key: 'annotations' }, { kind: 'key', key: 'seccomp.security.alpha.kubernetes.io/pod' }]],
    ['$["a b"][\'c"d\']', [{ kind: 'key', key: 'a b' }, { kind: 'key', key: 'c"d' }]],
    // Characters that start filters elsewhere are text inside either quotes.
    ['$["a@b"][\'c(d)\']', [{ kind: 'key', key: 'a@b' }, { kind: 'key', key: 'c(d)' }]],
    ["$.metadata.annotations['container.apparmor.security.beta.kubernetes.io/{name}']", [{ kind: 'key', key: 'metadata' }, { kind: 'key', key: 'annotations' }, { kind: 'template', parts: ['container.apparmor.security.beta.kubernetes.io/', 'name', ''] }]],
    ['$.x-{name}_y', [{ kind: 'template', parts: ['x-', 'name', '_y'] }]],
  ];
  for (const [text, segments] of cases) t.same(parsePath(text).segments, segments, text);
});

t.test('malformed paths are errors that say what to write', async (t) => {
  const cases: [string, RegExp, RegExp][] = [
    ['$.x[', /^unclosed "\[" in "\["$/, /close it/],
    ['$.x[*', /^unclosed "\[" in "\[\*"$/, /close it/],
    ['$.x.', /^the path ends with "\."$/, /write a key after/],
    ['$.', /^the path ends with "\."$/, /write a key after/],
    ['$.x[0:2]', /^slices \(\[0:2\]\) are not supported$/, /\[\*\]/],
    ['$.x[:1]', /^slices/, /\[\*\]/],
    ['$.x[-1]', /^negative indexes \(\[-1\]\) are not supported$/, /count from the start/],
    ['$.x.privileged ', /^a space after "\$\.x\.privileged"$/, /remove the space/],
    ['$.x[ 0 ]', /^a space in/, /remove the space/],
    ['$.x []', /^a space after "\$\.x"$/, /remove the space/],
    ['$.x[]', /^empty brackets/, /\[N\], \[\*\] or \['key'\]/],
    ['$.x[b]', /^unquoted key in brackets "\[b\]"$/, /\['b'\] or \.b/],
    ['$.x[01]', /^index 01 has a leading zero$/, /write \[1\]/],
    ["$.x['a", /^unclosed quote/, /close the key/],
    ["$.x['a'b']", /^expected "\]" after the quoted key 'a'$/, /other quotes/],
    ["$.x['']", /^empty key/, /between the quotes/],
    ['$.x]', /^unexpected "\]" after "\$\.x"$/, /goes in quotes/],
    ['$x', /^unexpected "x" after "\$"$/, /goes in quotes/],
    ['$.a~', /^unexpected "~" after "\$\.a"$/, /goes in quotes/],
    ['$.*x', /^unexpected "x" after "\$\.\*"$/, /goes in quotes/],
    ['$.a/b', /^unexpected "\/" after "\$\.a"$/, /\['a\.b\/c'\]/],
    ['$..image', /recursive descent/, /such as "\$\.securityContext\.privileged"/],
    ['$.x[?(@.a)]', /filters/, /.+/],
    ['x.y', /^path must start with "\$"$/, /such as/],
    ['$.{nam}', /unknown placeholder "\{nam\}"/, /.+/],
    ['$.constructor', /cannot be used as a field name/, /.+/],
  ];
  for (const [text, message, hint] of cases) {
    try {
      parsePath(text);
      t.fail(`${JSON.stringify(text)} was accepted`);
    } catch (e) {
      t.ok(e instanceof PathSyntaxError, text);
      t.match((e as PathSyntaxError).message, message, text);
      t.match((e as PathSyntaxError).hint, hint, text);
    }
  }
});
