// schemas/report.schema.json is written by hand: its objects must have the fields, and the
// required ones, of the types in cli/report/model.ts that the report is built from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import ts from 'typescript';
import { LEVELS } from '../engine/api.js';
import { VERSION_PATTERN } from '../engine/version.js';
import { projectRoot } from './helpers/shared.js';

interface Shape { props: string[]; required: string[] }

const schema = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'report.schema.json'), 'utf8'));
const modelFile = join(projectRoot, 'cli', 'report', 'model.ts');
const source = ts.createSourceFile(modelFile, readFileSync(modelFile, 'utf8'), ts.ScriptTarget.Latest, true);

function shapeOf(members: ts.NodeArray<ts.TypeElement>): Shape & { members: Map<string, ts.PropertySignature> } {
  const sigs = members.filter(ts.isPropertySignature);
  const names = sigs.map((m) => m.name.getText(source));
  return {
    props: [...names].sort(),
    required: names.filter((_, i) => !sigs[i]!.questionToken).sort(),
    members: new Map(sigs.map((m, i) => [names[i]!, m])),
  };
}

const interfaces = new Map<string, ReturnType<typeof shapeOf>>();
for (const node of source.statements) if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, shapeOf(node.members));

/** An inline object type of a field (`Report.policy`). */
function inline(iface: string, field: string): Shape {
  const type = interfaces.get(iface)!.members.get(field)!.type!;
  return shapeOf((type as ts.TypeLiteralNode).members);
}

function schemaShape(node: { properties: Record<string, unknown>; required?: string[] }): Shape {
  return { props: Object.keys(node.properties).sort(), required: [...(node.required ?? [])].sort() };
}

const defs = schema.definitions;
const pairs: [string, Shape, Shape][] = [
  ['Report', interfaces.get('Report')!, schemaShape(schema)],
  ['Report.tool', inline('Report', 'tool'), schemaShape(schema.properties.tool)],
  ['Report.policy', inline('Report', 'policy'), schemaShape(schema.properties.policy)],
  ['Summary', interfaces.get('Summary')!, schemaShape(schema.properties.summary)],
  ['LevelVersionText', interfaces.get('LevelVersionText')!, schemaShape(defs.levelVersion)],
  ['Source', interfaces.get('Source')!, schemaShape(defs.source)],
  ['Location', interfaces.get('Location')!, schemaShape(defs.location)],
  ['ReportViolation', interfaces.get('ReportViolation')!, schemaShape(defs.violation)],
  ['ResourceResult', interfaces.get('ResourceResult')!, schemaShape(defs.resource)],
  ['ResourcePolicy', interfaces.get('ResourcePolicy')!, schemaShape(defs.resource.properties.policy)],
  ['NotEvaluated', interfaces.get('NotEvaluated')!, schemaShape(defs.notEvaluated)],
  ['ReportError', interfaces.get('ReportError')!, schemaShape(defs.error)],
  ['ModeEvaluation', interfaces.get('ModeEvaluation')!, schemaShape(defs.evaluation)],
];

t.test('every object of the report schema has the fields of its model type', async (t) => {
  for (const [name, model, inSchema] of pairs) {
    t.same(inSchema.props, model.props, `${name}: fields`);
    t.same(inSchema.required, model.required, `${name}: required fields`);
  }
  // Every model type the report holds is compared.
  const compared = new Set(pairs.map(([name]) => name));
  t.same([...interfaces.keys()].filter((n) => !compared.has(n)), []);
});

const aliases = new Map<string, ts.TypeNode>();
for (const node of source.statements) if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type);

/** The values a field's type allows, when it is a union of literals (through aliases and arrays). */
function literals(type: ts.TypeNode): unknown[] {
  if (ts.isUnionTypeNode(type)) return type.types.flatMap(literals);
  if (ts.isArrayTypeNode(type)) return literals(type.elementType);
  if (ts.isTypeReferenceNode(type)) return literals(aliases.get(type.typeName.getText(source))!);
  if (ts.isLiteralTypeNode(type)) {
    const lit = type.literal;
    if (lit.kind === ts.SyntaxKind.NullKeyword) return [null];
    if (ts.isStringLiteral(lit)) return [lit.text];
    if (ts.isNumericLiteral(lit)) return [Number(lit.text)];
  }
  throw new Error(`not a union of literals: ${type.getText(source)}`);
}
const field = (iface: string, name: string) => literals(interfaces.get(iface)!.members.get(name)!.type!);

t.test("the report schema's enums are the model's unions, and its levels engine/api.ts's LEVELS", async (t) => {
  const sorted = (values: unknown[]) => values.map(String).sort();
  const policy = defs.resource.properties.policy.properties;
  const enums: [string, unknown[], unknown[]][] = [
    ['Report.exitCode', field('Report', 'exitCode'), schema.properties.exitCode.enum],
    ['ReportViolation.modes', field('ReportViolation', 'modes'), defs.violation.properties.modes.items.enum],
    ['ResourceResult.subject', field('ResourceResult', 'subject'), defs.resource.properties.subject.enum],
    ['ResourceResult.exempt', field('ResourceResult', 'exempt'), defs.resource.properties.exempt.enum],
    ['ResourcePolicy.mode', field('ResourcePolicy', 'mode'), policy.mode.enum],
    ['ResourcePolicy.source', field('ResourcePolicy', 'source'), policy.source.enum],
    ['ModeEvaluation.mode', field('ModeEvaluation', 'mode'), defs.evaluation.properties.mode.enum],
    ['levelVersion.level', [...LEVELS], defs.levelVersion.properties.level.enum],
    ['ResourcePolicy.level', [...LEVELS], policy.level.enum],
    ['ModeEvaluation.level', [...LEVELS], defs.evaluation.properties.level.enum],
    ['Report.policy.level', [...LEVELS, null], schema.properties.policy.properties.level.enum],
  ];
  for (const [name, model, inSchema] of enums) t.same(sorted(inSchema), sorted(model), name);
  t.equal(defs.levelVersion.properties.version.pattern, `^(latest|${VERSION_PATTERN.source.slice(1, -1)})$`, 'a policy version is parseVersion\'s');
});
