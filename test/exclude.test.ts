import t from 'tap';
import { compileExclude, ExcludeSyntaxError } from '../cli/exclude.js';

// [pattern, shown path, absolute path, name, isDir, expected]; the directory searched is /r, typed as `.`
const CASES: [string, string, string, string, boolean, boolean][] = [
  ['charts', 'charts', '/r/charts', 'charts', true, true],
  ['charts', 'deploy/charts', '/r/deploy/charts', 'charts', true, true],
  ['charts', 'charts.yaml', '/r/charts.yaml', 'charts.yaml', false, false],
  ['values*.yaml', 'charts/app/values.yaml', '/r/charts/app/values.yaml', 'values.yaml', false, true],
  ['values*.yaml', 'charts/app/values-prod.yaml', '/r/charts/app/values-prod.yaml', 'values-prod.yaml', false, true],
  ['values*.yaml', 'charts/app/values.yml', '/r/charts/app/values.yml', 'values.yml', false, false],
  ['*.y?ml', 'a/b.yaml', '/r/a/b.yaml', 'b.yaml', false, true],
  ['*.y?ml', 'a/b.json', '/r/a/b.json', 'b.json', false, false],
  ['deploy/legacy', 'deploy/legacy', '/r/deploy/legacy', 'legacy', true, true],
  ['deploy/legacy', 'other/deploy/legacy', '/r/other/deploy/legacy', 'legacy', true, false],
  ['./deploy/legacy', 'deploy/legacy', '/r/deploy/legacy', 'legacy', true, true],
  ['deploy/legacy', './deploy/legacy', '/r/deploy/legacy', 'legacy', true, true],
  ['deploy/*.json', 'deploy/a.json', '/r/deploy/a.json', 'a.json', false, true],
  ['deploy/*.json', 'deploy/x/a.json', '/r/deploy/x/a.json', 'a.json', false, false],
  ['deploy/**/*.json', 'deploy/a.json', '/r/deploy/a.json', 'a.json', false, true],
  ['deploy/**/*.json', 'deploy/x/y/a.json', '/r/deploy/x/y/a.json', 'a.json', false, true],
  ['**/test', 'a/b/test', '/r/a/b/test', 'test', true, true],
  ['**/test', 'test', '/r/test', 'test', true, true],
  ['deploy/**', 'deploy/x', '/r/deploy/x', 'x', true, true],
  ['deploy/**', 'deploy', '/r/deploy', 'deploy', true, false],
  ['tmp/', 'tmp', '/r/tmp', 'tmp', true, true],
  ['tmp/', 'a/tmp', '/r/a/tmp', 'tmp', true, true],
  ['tmp.yaml/', 'tmp.yaml', '/r/tmp.yaml', 'tmp.yaml', false, false],
  ['[ab].yaml', 'x/a.yaml', '/r/x/a.yaml', 'a.yaml', false, true],
  ['[!ab].yaml', 'x/a.yaml', '/r/x/a.yaml', 'a.yaml', false, false],
  ['[!ab].yaml', 'x/c.yaml', '/r/x/c.yaml', 'c.yaml', false, true],
  ['[a-c]?.yaml', 'x/b1.yaml', '/r/x/b1.yaml', 'b1.yaml', false, true],
  ['a+b(1).yaml', 'x/a+b(1).yaml', '/r/x/a+b(1).yaml', 'a+b(1).yaml', false, true],
  ['a.yaml', 'x/aXyaml', '/r/x/aXyaml', 'aXyaml', false, false],
  ['/r/deploy', 'deploy', '/r/deploy', 'deploy', true, true],
  ['/r/deploy', 'deploy', '/s/deploy', 'deploy', true, false],
  ['deploy\\legacy', 'deploy/legacy', '/r/deploy/legacy', 'legacy', true, true],
  // ./ and a leading / anchor the pattern, as in .gitignore
  ['./charts', 'charts', '/r/charts', 'charts', true, true],
  ['./charts', 'a/charts', '/r/a/charts', 'charts', true, false],
  ['/charts', 'charts', '/r/charts', 'charts', true, true],
  ['/charts', 'a/charts', '/r/a/charts', 'charts', true, false],
  // ** next to other characters is *
  ['**.yaml', 'a/b.yaml', '/r/a/b.yaml', 'b.yaml', false, true],
  ['a**', 'x/abc', '/r/x/abc', 'abc', true, true],
  // ] first in a class is one of its characters
  ['[]a].yaml', 'x/].yaml', '/r/x/].yaml', '].yaml', false, true],
  ['[!]a]', 'x/b', '/r/x/b', 'b', true, true],
  ['[!]a]', 'x/a', '/r/x/a', 'a', true, false],
  // a class never matches /
  ['a[/]b', 'a/b', '/r/a/b', 'b', true, false],
  // a drive letter makes a pattern absolute (Windows), in any case
  ['c:\\r\\deploy', 'deploy', 'C:\\r\\deploy', 'deploy', true, true],
];

t.test('--exclude patterns match as .gitignore lines do', async (t) => {
  for (const [pattern, shown, absolute, name, isDir, expected] of CASES) {
    const x = compileExclude(pattern);
    const relative = absolute.startsWith('/r/') ? absolute.slice(3) : shown;
    t.equal(x.matches({ shown, relative, absolute, name, isDir }), expected, `${pattern} ~ ${shown}${isDir ? '/' : ''}`);
    t.equal(x.used, expected, `${pattern}: used only once it has matched`);
  }
});

t.test('a pattern with / matches below the directory searched, or as reports show the path', async (t) => {
  // podsec check examples --exclude databases/cassandra, or --exclude examples/databases/cassandra
  const entry = { shown: 'examples/databases/cassandra', relative: 'databases/cassandra', absolute: '/r/examples/databases/cassandra', name: 'cassandra', isDir: true };
  t.ok(compileExclude('databases/cassandra').matches(entry));
  t.ok(compileExclude('examples/databases/cassandra').matches(entry));
  t.ok(compileExclude('examples/**/cassandra').matches(entry));
  t.notOk(compileExclude('cassandra/databases').matches(entry));
  t.notOk(compileExclude('bases/cassandra').matches(entry), 'whole segments only');
  // podsec check ./examples: the shown path keeps the ./ as typed
  t.ok(compileExclude('examples/databases').matches({ ...entry, shown: './examples/databases', relative: 'databases' }));
});

t.test('a malformed pattern is refused, saying why', async (t) => {
  for (const [pattern, says] of [
    ['', /needs a pattern/],
    ['  ', /needs a pattern/],
    ['!charts', /cannot be negated/],
    ['[ab.yaml', /no \] closes/],
    ['[z-a]', /^--exclude "\[z-a\]": Range out of order in character class$/],
  ] as const) {
    t.throws(() => compileExclude(pattern), { constructor: ExcludeSyntaxError, message: says }, JSON.stringify(pattern));
  }
});
