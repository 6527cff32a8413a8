// docs/cli.md has every flag of `podsec check` and covers the other commands; docs/rules.md says
// how custom rules are loaded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CHECK_HELP } from '../cli/commands/check.js';
import { projectRoot } from './helpers/shared.js';

const doc = (name: string) => readFileSync(join(projectRoot, 'docs', name), 'utf8');

t.test('docs/cli.md names every flag of podsec check', async (t) => {
  const cli = doc('cli.md');
  const flags = [...new Set([...CHECK_HELP.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!))].filter((f) => f !== '--help');
  t.ok(flags.length >= 14, flags.join(' '));
  for (const flag of flags) t.ok(cli.includes('`' + flag), flag);
  for (const command of ['podsec rules', 'podsec rules --diff', 'podsec explain']) t.ok(cli.includes('`' + command), command);
});

t.test('docs/rules.md says how to load custom rules', async (t) => {
  const section = /## Custom rules\n([\s\S]*?)\n## /.exec(doc('rules.md'))?.[1] ?? '';
  for (const words of ['--rules-dir', 'rulesDirs', 'current working directory']) t.ok(section.includes(words), words);
});
