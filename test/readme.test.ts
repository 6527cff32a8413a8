// What the README shows of the rules (counts, versions, a rule's text, messages, command output)
// is what the rule files and the commands give: a rule or version added must not leave it stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { LATEST } from '../engine/version.js';
import { enforceMessage } from '../admission/messages.js';
import { cli } from './helpers/cli.js';
import { projectRoot } from './helpers/shared.js';

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const evaluator = createEvaluator();
const { rules } = evaluator.table;

t.test('the README counts the checks of each level as the rules directory holds them', async (t) => {
  const [, baseline, restricted] = /\((\d+) baseline, (\d+) restricted\)/.exec(readme) ?? [];
  t.equal(Number(baseline), rules.filter((r) => r.level === 'baseline').length);
  t.equal(Number(restricted), rules.filter((r) => r.level === 'restricted').length);
});

t.test('where the README names the newest policy version, it is the one the rules know', async (t) => {
  const named = [
    ...readme.matchAll(/`v1\.0` …\s+`(v1\.\d+)` or `latest`/g),
    ...readme.matchAll(/newer than the newest known \((v1\.\d+)\)/g),
    ...readme.matchAll(/"(v1\.\d+)" for latest/g),
  ].map((m) => m[1]);
  t.ok(named.length >= 1, `found ${named.length}`);
  for (const version of named) t.equal(version, evaluator.newestVersion);
});

t.test("the README's sysctls excerpt is the rule file's, and names its later versions", async (t) => {
  const excerpt = /the sysctls table growing over\s+time is just this:\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = excerpt.trimEnd().split('\n');
  const rest = /^ {2}# … (.*)$/.exec(lines.pop() ?? '')?.[1];
  const file = readFileSync(join(projectRoot, 'rules', 'baseline', 'sysctls.yaml'), 'utf8');
  t.ok(lines.length > 10 && file.includes(lines.join('\n') + '\n'), 'the lines shown are the file\'s, in order');
  const shown = new Set([...excerpt.matchAll(/since: (v1\.\d+)/g)].map((m) => m[1]));
  const sysctls = rules.find((r) => r.id === 'sysctls')!;
  t.equal(rest, sysctls.versions.map((v) => `v1.${v.since}`).filter((v) => !shown.has(v)).join(', '), 'the comment lists the versions left out');
});

t.test("the README's example message is what restricted:latest says of a container that sets nothing", async (t) => {
  const shown = /`latest`:\n\n```\n(violates PodSecurity [^\n]*)\n```/.exec(readme)?.[1];
  const result = evaluator.evaluate({ metadata: { name: 'p' }, spec: { containers: [{ name: 'x', image: 'i' }] } }, { level: 'restricted', version: 'latest' });
  t.equal(shown, enforceMessage({ level: 'restricted', version: LATEST }, result.forbiddenDetail));
});

t.test("the README's podsec rules --diff output is the command's", async (t) => {
  const [, args, shown] = /\$ node bin\/podsec\.js (rules --diff [^\n]*)\n([\s\S]*?)```/.exec(readme) ?? [];
  const r = await cli(args!.split(' '));
  t.equal(r.code, 0);
  t.equal(r.stdout, shown);
});

t.test("the message the README gives for its custom rule is the rule's", async (t) => {
  const shown = /evaluator\.evaluate\(pod, \{ level: 'baseline' \}\)\.forbiddenDetail;\n\/\/ (.*)\n/.exec(readme)?.[1];
  const custom = createEvaluator({ rulesDirs: [join(projectRoot, 'test', 'fixtures', 'custom-rules')] });
  const images = [...(shown ?? '').matchAll(/"(nginx[^"]*)"/g)].map((m) => m[1]!);
  const pod = { spec: { containers: images.map((image, i) => ({ name: String.fromCharCode(97 + i), image })) } };
  t.equal(images.length, 2);
  t.equal(shown, custom.evaluate(pod, { level: 'baseline' }).forbiddenDetail);
});
