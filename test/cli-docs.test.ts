// docs/cli.md has every flag of `podsec check` and covers the other commands; docs/rules.md says
// how custom rules are loaded; the docs' links work in the npm package too.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { CHECK_HELP, CHECK_OPTIONS, DEFAULT_MAX_INPUT_MB, MAX_INPUT_MB } from '../cli/commands/check.js';
import { EXPLAIN_HELP, EXPLAIN_OPTIONS } from '../cli/commands/explain.js';
import { RULES_HELP, RULES_OPTIONS } from '../cli/commands/rules.js';
import { TEST_HELP, TEST_OPTIONS } from '../cli/commands/test.js';
import { POD_SPEC_KINDS } from '../admission/extract.js';
import { parseServeFlags, SERVE_HELP } from '../webhook/serve.js';
import { projectRoot } from './helpers/shared.js';

const doc = (name: string) => readFileSync(join(projectRoot, 'docs', name), 'utf8');

t.test('docs/cli.md names every flag of podsec check and podsec test', async (t) => {
  const cli = doc('cli.md');
  const flags = [...new Set([...CHECK_HELP.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!))].filter((f) => f !== '--help');
  t.ok(flags.length >= 14, flags.join(' '));
  for (const flag of flags) t.ok(cli.includes('`' + flag), flag);
  for (const command of ['podsec rules', 'podsec rules --diff', 'podsec explain', 'podsec test']) t.ok(cli.includes('`' + command), command);
  const testSection = cli.slice(cli.indexOf('## `podsec test`'));
  for (const flag of Object.keys(TEST_OPTIONS).filter((f) => f !== 'help')) t.ok(testSection.includes('--' + flag), `podsec test --${flag}`);
});

t.test('podsec check --help keeps to the width of its columns: each description wraps under the last', async (t) => {
  const long = CHECK_HELP.split('\n').filter((line) => line.length > 95);
  t.same(long, []);
});

t.test("each command's help lists exactly the flags its parser takes, with their short forms", async (t) => {
  const commands: [string, string, Record<string, { type: string; short?: string }>][] = [['check', CHECK_HELP, CHECK_OPTIONS], ['rules', RULES_HELP, RULES_OPTIONS], ['explain', EXPLAIN_HELP, EXPLAIN_OPTIONS], ['test', TEST_HELP, TEST_OPTIONS]];
  for (const [command, help, options] of commands) {
    const listed = [...help.matchAll(/^ {2}(?:-(\w), | {4})--([a-z-]+)/gm)].map((m) => `${m[2]}${m[1] ? ` -${m[1]}` : ''}`).sort();
    const parsed = Object.entries(options).map(([name, o]) => `${name}${o.short ? ` -${o.short}` : ''}`).sort();
    t.same(listed, parsed, command);
  }
});

t.test("each command's help ends with examples, and serve's parse", async (t) => {
  for (const [command, help] of [['check', CHECK_HELP], ['rules', RULES_HELP], ['explain', EXPLAIN_HELP], ['test', TEST_HELP], ['serve', SERVE_HELP]] as const) {
    t.match(help, /\nExamples:\n( {2}\S[^\n]*\n(?: {3,}\S[^\n]*\n)*)+$/, command);
  }
  // An example joins its continued lines, and drops the note in brackets after it.
  const examples = (/\nExamples:\n([\s\S]*)$/.exec(SERVE_HELP)?.[1] ?? '').replace(/\\\n\s+/g, '').split('\n')
    .filter((l) => l.startsWith('  podsec serve')).map((l) => l.replace(/\s+\(.*\)$/, '').trim().split(/\s+/).slice(2));
  t.equal(examples.length, 3);
  for (const argv of examples) t.doesNotThrow(() => parseServeFlags(argv), argv.join(' '));
});

t.test('docs/cli.md names the short form of every flag that has one', async (t) => {
  const cli = doc('cli.md');
  const shorts = [CHECK_HELP, RULES_HELP, EXPLAIN_HELP, TEST_HELP].flatMap((help) => [...help.matchAll(/^\s+(-\w), (--[a-z-]+)/gm)].map((m) => `${m[1]} ${m[2]}`));
  t.ok(shorts.length >= 6, shorts.join(', '));
  for (const pair of shorts) t.ok(cli.includes('`' + pair.split(' ')[0] + '`'), pair);
});

t.test('the help and docs name every kind with a pod spec (admission/extract.ts)', async (t) => {
  const texts = { 'check --help': CHECK_HELP, 'docs/cli.md': doc('cli.md'), 'README.md': readFileSync(join(projectRoot, 'README.md'), 'utf8') };
  for (const [name, text] of Object.entries(texts)) for (const kind of POD_SPEC_KINDS) t.match(text, new RegExp(`\\b${kind}\\b`), `${name}: ${kind}`);
  for (const kind of POD_SPEC_KINDS.filter((k) => k !== 'Pod')) t.match(doc('webhook.md'), `${kind}s`, `docs/webhook.md: ${kind}`);
});

t.test("docs/cli.md gives --max-file-size's default and limit", async (t) => {
  t.match(doc('cli.md'), `\`--max-file-size\` (default ${DEFAULT_MAX_INPUT_MB} MB, at most ${MAX_INPUT_MB} MB`);
});

t.test('the help and docs give the exit codes the report schema allows', async (t) => {
  const codes = (JSON.parse(readFileSync(join(projectRoot, 'schemas', 'report.schema.json'), 'utf8')) as { properties: { exitCode: { enum: number[] } } }).properties.exitCode.enum.map(String);
  const table = /## Exit codes\n\n\| Code[^\n]*\n\|[-|]+\|\n((?:\|[^\n]*\n)+)/.exec(doc('cli.md'))?.[1] ?? '';
  t.same([...table.matchAll(/^\| (\d+) \|/gm)].map((m) => m[1]), codes, 'docs/cli.md');
  const help = /\nExit codes:\n((?: {2}[^\n]*\n)+)/.exec(CHECK_HELP)?.[1] ?? '';
  t.same([...help.matchAll(/^ {2}(\d+) {2}/gm)].map((m) => m[1]), codes, 'check --help');
});

t.test('docs/rules.md says how to load custom rules', async (t) => {
  const section = /## Custom rules\n([\s\S]*?)\n## /.exec(doc('rules.md'))?.[1] ?? '';
  for (const words of ['--rules-dir', 'rulesDirs', 'current working directory']) t.ok(section.includes(words), words);
});

t.test("docs/rules.md's example of a changed message works on the README's rule", async (t) => {
  const example = /## Custom rules\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc('rules.md'))![1]!;
  const [first, later] = example.split(/(?=  - since: v1\.30\n)/);
  const fixture = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8');
  t.ok(fixture.includes(/message: \{ reason: (.*), detail: (.*) \}/.exec(first!)!.slice(1).join('\n      detail: ')), 'the first entry is the README rule\'s');
  const dir = mkdtempSync(join(tmpdir(), 'podsec-docs-'));
  mkdirSync(join(dir, 'baseline'));
  writeFileSync(join(dir, 'baseline', 'noLatestTag.yaml'), fixture + later);
  const evaluator = createEvaluator({ rulesDirs: [dir] });
  const detail = (version: string) => evaluator.evaluate({ spec: { containers: [{ name: 'a', image: 'nginx:latest' }] } }, { level: 'baseline', version }).violations[0]?.detail;
  t.equal(detail('v1.29'), 'container "a" must pin "nginx:latest" to a tag or digest');
  t.equal(detail('v1.30'), 'container "a" must pin "nginx:latest" to a tag or digest (see https://example.com/tags)');
});

t.test('relative links in the README and docs point at files the npm package ships', async (t) => {
  const files = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { files: string[] }).files;
  const shipped = (path: string) => files.some((f) => path === f || path.startsWith(f + '/'));
  const docs = ['README.md', 'docs/cli.md', 'docs/rules.md', 'docs/webhook.md', 'cli/manifest/README.md'];
  for (const from of docs) {
    t.ok(shipped(from), `${from} is in the package`);
    for (const [, href] of readFileSync(join(projectRoot, from), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = href!.split('#')[0]!;
      if (target === '' || /^[a-z]+:/.test(target)) continue;
      const path = posix.normalize(posix.join(posix.dirname(from), target)).replace(/\/$/, '');
      t.ok(existsSync(join(projectRoot, path)) && shipped(path), `${from}: ${href} is in the package`);
    }
  }
  // `podsec check --help` sends readers there too.
  t.match(CHECK_HELP, 'docs/cli.md');
  t.ok(shipped('docs/cli.md'));
});

t.test("docs/cli.md's reason podsec test does not require an image holds: no bundled check reads one", async (t) => {
  t.match(doc('cli.md').replace(/\s+/g, ' '), "A container's `image` is not required, as no bundled check reads it");
  const { fieldsOf } = await import('../cli/commands/rule-docs.js');
  const { table } = createEvaluator();
  const scopePaths = Object.fromEntries(Object.entries(table.scopes).map(([k, s]) => [k, s.def.paths]));
  const read = table.rules.flatMap((r) => r.versions.flatMap((v) => fieldsOf(v, scopePaths)));
  t.ok(read.length > 20, `${read.length} fields read`);
  t.same(read.filter((f) => /\]\.image\b/.test(f)), []);
});

t.test('the help and docs/cli.md name exactly the report formats check and test take', async (t) => {
  const { REPORT_FORMATS } = await import('../cli/report/format.js');
  const { TEST_FORMATS } = await import('../cli/commands/test.js');
  const entry = (help: string) => /^ {2}-f, --format FORMAT +(.*\n(?: {20,}.*\n)*)/m.exec(help)?.[1] ?? '';
  const named = (text: string) => [...text.matchAll(/\b(text|json|sarif|github|junit|yaml|xml|csv|html)\b/g)].map((m) => m[1]).filter((f, i, all) => all.indexOf(f) === i).sort();
  t.same(named(entry(CHECK_HELP)), Object.keys(REPORT_FORMATS).sort(), 'check --help');
  t.same(named(entry(TEST_HELP)), [...TEST_FORMATS].sort(), 'test --help');
  const cli = doc('cli.md');
  t.same(named(/^`--format text` \(default\)[^;]*;/m.exec(cli)?.[0] ?? ''), Object.keys(REPORT_FORMATS).sort(), 'docs/cli.md, Outputs');
  t.same(named(/^`podsec test [^`]*`/m.exec(cli)?.[0].replace(/.*--format ([a-z|]+).*/s, '$1') ?? ''), [...TEST_FORMATS].sort(), 'docs/cli.md, podsec test');
});
