// The type declarations the package publishes, as a user's compiler and editor see them: built
// with the build's own tsconfig, installed in a temporary project, and used by a program that
// does what the README's "Library" section documents. Internal members must not be offered.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import ts from 'typescript';
import * as library from '../engine/index.js';
import { projectRoot } from './helpers/shared.js';

/** Every exported name, and the properties of every type the package declares that they lead to. */
const PUBLIC_SURFACE: Record<string, string[]> = {
  exports: [
    'CompiledCheck', 'Condition', 'EvaluateOptions', 'EvaluationResult', 'Evaluator', 'EvaluatorOptions', 'FieldPath', 'FindingDef', 'LEVELS', 'Level',
    'PodsecArgumentError', 'ResolvedPolicy', 'ResolvedVersion', 'RuleDef', 'RuleLoadError', 'RuleProblem', 'RuleTable', 'Violation',
    'compareLevels', 'createEvaluator', 'formatFieldPath', 'formatProblem',
  ],
  CompiledCheck: ['fails', 'id', 'level', 'since'],
  EvaluateOptions: ['defaulting', 'level', 'version'],
  EvaluationResult: ['allowed', 'evaluatedVersion', 'forbiddenDetail', 'forbiddenReason', 'level', 'version', 'violations'],
  Evaluator: ['defaultsDiffer', 'evaluate', 'newestVersion', 'resolvePolicy', 'table', 'warnings'],
  EvaluatorOptions: ['bundledDir', 'rulesDirs', 'useCache'],
  ResolvedPolicy: ['checks', 'evaluatedVersion', 'level', 'version'],
  RuleTable: ['rules'],
  RuleDef: ['file', 'fix', 'id', 'level', 'standard', 'summary', 'title', 'versions'],
  // The rule file's content (docs/rules.md), as parsed.
  ResolvedVersion: ['exemptWhen', 'findings', 'message', 'note', 'overrides', 'sets', 'since'],
  FindingDef: ['at', 'in', 'messageOnly', 'record', 'sortSubjects', 'valueDefault', 'values', 'when'],
  RecordDef: ['default', 'fact', 'firstKeyOf', 'format', 'otherwise', 'path'],
  'RecordDef.firstKeyOf': ['set'],
  LeafCondition: ['default', 'fact', 'operator', 'path', 'value'],
  Condition: ['all', 'any', 'not'],
  MessageDef: ['detail', 'reason'],
  TextNode: ['join', 'oneOf', 'parts', 'text', 'when'],
  RuleLoadError: ['problems'],
  RuleProblem: ['column', 'file', 'hint', 'line', 'message', 'pointer'],
  Violation: ['checkId', 'detail', 'fields', 'reason'],
};

// A user's program: what the README documents, then what the engine keeps to itself.
const CONSUMER = `
import {
  compareLevels, createEvaluator, formatFieldPath, formatProblem, LEVELS, PodsecArgumentError, RuleLoadError,
  type CompiledCheck, type EvaluateOptions, type EvaluationResult, type Evaluator, type EvaluatorOptions, type FieldPath,
  type Level, type ResolvedPolicy, type RuleDef, type RuleProblem, type RuleTable, type Violation,
} from 'podsec';

const options: EvaluatorOptions = { rulesDirs: ['my-rules'], bundledDir: '/opt/rules', useCache: false };
const evaluator: Evaluator = createEvaluator(options);
const bundled = createEvaluator();
const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'nginx' }] } };

const opts: EvaluateOptions = { level: 'restricted', version: 'v1.25', defaulting: 'template' };
const result: EvaluationResult = evaluator.evaluate(pod, opts);
// A namespace's labels, as a user reads them: the version may be missing.
const labels: Record<string, string | undefined> = { 'pod-security.kubernetes.io/enforce': 'baseline' };
bundled.evaluate(pod, { level: labels['pod-security.kubernetes.io/enforce'] ?? 'restricted', version: labels['pod-security.kubernetes.io/enforce-version'] ?? null });
const dirs = ['my-rules', 'team-rules'] as const;
createEvaluator({ rulesDirs: dirs });
const allowed: boolean = result.allowed;
const violations: readonly Violation[] = result.violations;
const where: string[] = violations.flatMap((v) => v.fields.map((f: FieldPath) => \`\${v.checkId} \${v.reason} \${v.detail} \${formatFieldPath(f)}\`));
const texts: string[] = [result.forbiddenReason, result.forbiddenDetail, result.version, result.evaluatedVersion];
const level: Level = result.level;

const policy: ResolvedPolicy = evaluator.resolvePolicy('restricted', 'v1.25');
evaluator.resolvePolicy('baseline');
evaluator.resolvePolicy('baseline', null);
const checks: string[] = policy.checks.map((c: CompiledCheck) => \`\${c.id} \${c.level} v1.\${c.since} \${c.fails(pod)}\`);
const sorted: CompiledCheck[] = [...policy.checks].sort((a, b) => a.id.localeCompare(b.id));
const about: string[] = [policy.level, policy.version, policy.evaluatedVersion, evaluator.newestVersion];
const podsDiffer: boolean = evaluator.defaultsDiffer(pod, 'pod', 'template');

const table: RuleTable = evaluator.table;
const rules: readonly RuleDef[] = table.rules;
const described = rules.map((r) => [r.id, r.level, r.title, r.summary, r.standard, r.fix ?? '', r.file, r.versions.map((v) => v.since)]);
const warnings: readonly RuleProblem[] = evaluator.warnings;
const printed: string[] = warnings.map(formatProblem);
try {
  createEvaluator({ rulesDirs: ['broken-rules'] });
} catch (e) {
  if (e instanceof RuleLoadError) for (const p of e.problems) console.log(p.file, p.line, p.column, p.pointer, p.message, p.hint);
  else if (e instanceof PodsecArgumentError) console.log(e.message);
}
const stricter: boolean = compareLevels('restricted', level) > 0;
const levels: readonly Level[] = LEVELS;
console.log(allowed, where, texts, checks, sorted, about, described, printed, stricter, levels);

// Read-only: frozen at run time.
// @ts-expect-error
result.allowed = true;
// @ts-expect-error
policy.checks[0]!.id = 'x';
// @ts-expect-error
table.rules.push(rules[0]!);
// @ts-expect-error
rules[0]!.title = 'x';
// @ts-expect-error
rules[0]!.versions[0]!.overrides.push('privileged');
// @ts-expect-error: a misspelt option
evaluator.evaluate(pod, { level: 'baseline', verison: 'v1.0' });

// The engine's own.
// @ts-expect-error
policy.verdicts;
// @ts-expect-error
policy.failMask;
// @ts-expect-error
policy.minor;
// @ts-expect-error
policy.allowed;
// @ts-expect-error
policy.checks[0]!.failsInterpreted;
// @ts-expect-error
policy.checks[0]!.explain(pod);
// @ts-expect-error
policy.checks[0]!.findings;
// @ts-expect-error
table.compiled;
// @ts-expect-error
table.scopes;
// @ts-expect-error
rules[0]!.versions[0]!.pointer;
`;

// A program that checks manifests through podsec/check, as the README's "From a program" shows.
const CHECK_CONSUMER = `
import { checkManifests, formatReport, type CheckManifestsOptions, type FormatReportOptions, type ManifestSource, type Report, type ReportFormat, type ResourceResult } from 'podsec/check';
import { createEvaluator } from 'podsec';

const inputs: ManifestSource[] = [{ file: 'a.yaml', content: 'apiVersion: v1' }, { file: 'b.json', content: new Uint8Array(0) }];
const options: CheckManifestsOptions = { evaluator: createEvaluator(), level: 'baseline', version: 'v1.30', namespace: 'apps', user: 'me', configFile: 'c.yaml', validate: 'warn' };
const report: Report = checkManifests(inputs, options);
const denied: ResourceResult[] = report.resources.filter((r) => !r.allowed);
const where: string[] = denied.flatMap((r) => r.violations.flatMap((v) => v.locations.map((l) => \`\${r.source.file}:\${l.line}:\${l.column} \${v.checkId}\`)));
const code: 0 | 1 | 2 = report.exitCode;
console.log(where, code, report.errors.map((e) => \`\${e.file}:\${e.line ?? 0} \${e.message} \${e.hint}\`), report.summary.checked, checkManifests(inputs).summary);

// @ts-expect-error: a misspelt option
checkManifests(inputs, { levle: 'baseline' });
// @ts-expect-error: the command's own hooks are not options
checkManifests(inputs, { onProgress: () => {} });
// @ts-expect-error
checkManifests(inputs, { validate: 'yes' });

const formats: ReportFormat[] = ['text', 'json', 'sarif', 'github', 'junit'];
const formatting: FormatReportOptions = { color: true, quiet: false, root: '.', evaluator: createEvaluator() };
const written: string[] = formats.map((f) => formatReport(report, f, formatting));
console.log(written, formatReport(report, 'sarif'));
// @ts-expect-error: no such format
formatReport(report, 'xml');
// @ts-expect-error
formatReport(report, 'text', { colour: true });
`;

/** Builds the declarations the way the build does (tsconfig.json), into an installed package in a temporary project. */
function installDeclarations(root: string): string {
  const pkg = join(root, 'node_modules', 'podsec');
  const host: ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
  const config = ts.getParsedCommandLineOfConfigFile(join(projectRoot, 'tsconfig.json'), { outDir: join(pkg, 'dist'), emitDeclarationOnly: true, noEmit: false, sourceMap: false, declarationMap: false }, host)!;
  const program = ts.createProgram({ rootNames: [join(projectRoot, 'engine', 'index.ts'), join(projectRoot, 'cli', 'library.ts')], options: config.options });
  const emitted = program.emit();
  if (emitted.emitSkipped) throw new Error(ts.formatDiagnostics(emitted.diagnostics, ts.createCompilerHost(config.options)));
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest));
  // The package's dependencies, as npm would install them next to it.
  for (const dep of Object.keys(manifest.dependencies)) {
    mkdirSync(dirname(join(root, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(projectRoot, 'node_modules', dep), join(root, 'node_modules', dep));
  }
  return pkg;
}

function compileConsumer(root: string, source: string, name = 'consumer.ts'): { program: ts.Program; diagnostics: readonly ts.Diagnostic[] } {
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
  writeFileSync(join(root, name), source);
  // No @types/node: a user need not have it for podsec's types to check.
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: false, types: [] };
  const program = ts.createProgram([join(root, name)], options);
  return { program, diagnostics: ts.getPreEmitDiagnostics(program) };
}

/** The exported names, and per type the package declares, its properties: what an editor offers. */
function surface(program: ts.Program, pkg: string): Record<string, string[]> {
  const checker = program.getTypeChecker();
  const consumer = program.getSourceFiles().find((f) => f.fileName.endsWith('consumer.ts'))!;
  const specifier = consumer.statements.find(ts.isImportDeclaration)!.moduleSpecifier;
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(specifier)!);
  const ours = (s: ts.Symbol | undefined) => !!s?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(pkg));
  const out: Record<string, string[]> = { exports: exports.map((e) => e.name).sort() };
  const seen = new Set<ts.Type>();
  const visit = (type: ts.Type, path: string): void => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) return type.types.forEach((u) => visit(u, ours(type.aliasSymbol) ? type.aliasSymbol!.name : path));
    if (checker.isArrayType(type) || checker.isTupleType(type)) return checker.getTypeArguments(type as ts.TypeReference).forEach((a) => visit(a, path));
    for (const sig of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      sig.getParameters().forEach((p) => visit(checker.getTypeOfSymbol(p), path));
      visit(sig.getReturnType(), path);
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const props = checker.getPropertiesOfType(type).filter((p) => ours(p));
    if (!ours(symbol) || props.length === 0) return;
    // An anonymous type is named by where it is; the members of one union merge.
    const name = symbol!.name.startsWith('__') ? path : symbol!.name;
    out[name] = [...new Set([...(out[name] ?? []), ...props.map((p) => p.name)])].sort();
    for (const p of props) visit(checker.getNonNullableType(checker.getTypeOfSymbol(p)), `${name}.${p.name}`);
  };
  for (const e of exports) {
    const symbol = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    if (symbol.flags & ts.SymbolFlags.Class) visit(checker.getDeclaredTypeOfSymbol(symbol), e.name);
    if (symbol.flags & ts.SymbolFlags.Value) visit(checker.getTypeOfSymbol(symbol), e.name);
    if (symbol.flags & ts.SymbolFlags.Type) visit(checker.getDeclaredTypeOfSymbol(symbol), e.name);
  }
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'podsec-types-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const pkg = installDeclarations(root);
const { program, diagnostics } = compileConsumer(root, CONSUMER);

t.test("a program using the README's library API type-checks against the published declarations, and cannot reach internals", async (t) => {
  t.same(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
});

t.test('a program checking manifests through podsec/check type-checks against the published declarations', async (t) => {
  const checking = compileConsumer(root, CHECK_CONSUMER, 'check-consumer.ts');
  t.same(checking.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
});

t.test('the published declarations offer exactly the documented API', async (t) => {
  t.same(surface(program, pkg), PUBLIC_SURFACE);
});

t.test('the declarations name what the entry point exports at run time', async (t) => {
  const checker = program.getTypeChecker();
  const consumer = program.getSourceFiles().find((f) => f.fileName.endsWith('consumer.ts'))!;
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(consumer.statements.find(ts.isImportDeclaration)!.moduleSpecifier)!);
  const values = exports.filter((e) => checker.getAliasedSymbol(e).flags & ts.SymbolFlags.Value).map((e) => e.name).sort();
  t.same(Object.keys(library).sort(), values);
});

t.test("the README's Library section documents every export and member, and names no other", async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = /\n## Library\n([\s\S]*?)\n## /.exec(readme)![1]!;
  const documented = ['exports', 'Evaluator', 'EvaluatorOptions', 'EvaluateOptions', 'EvaluationResult', 'Violation', 'ResolvedPolicy', 'CompiledCheck', 'RuleTable', 'RuleDef', 'RuleLoadError', 'RuleProblem'];
  for (const type of documented) {
    for (const name of PUBLIC_SURFACE[type]!) t.match(section, new RegExp(`\\b${name}\\b`), `${type === 'exports' ? 'export' : type} ${name}`);
  }
  for (const [, member] of section.matchAll(/\bevaluator\.(\w+)/g)) t.ok(PUBLIC_SURFACE.Evaluator!.includes(member!), `evaluator.${member} exists`);
  for (const [, member] of section.matchAll(/\bresult\.(\w+)/g)) t.ok(PUBLIC_SURFACE.EvaluationResult!.includes(member!), `result.${member} exists`);
  for (const [, name] of section.matchAll(/`([A-Z]\w+)`/g)) {
    if (name !== 'Pod') t.ok(PUBLIC_SURFACE.exports!.includes(name!), `${name} is exported`);
  }
});
