/** Reads the per-rule case files in test/cases/. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from './shared.js';

export interface RuleCase {
  name: string;
  level?: 'baseline' | 'restricted';
  versions: string[];
  defaulting?: 'pod' | 'template' | 'none';
  pod: Record<string, unknown>;
  expect: 'pass' | { reason: string; detail: string };
}

export interface CaseFile {
  file: string;
  check: string;
  cases: RuleCase[];
}

export const casesDir = join(projectRoot, 'test', 'cases');

export function readCaseFiles(): CaseFile[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const data = parse(readFileSync(join(casesDir, f), 'utf8')) as { check: string; cases: RuleCase[] };
      return { file: f, check: data.check, cases: data.cases };
    });
}
