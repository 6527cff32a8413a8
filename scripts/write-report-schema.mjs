// Writes the schemas of the commands' JSON reports from their TypeScript models, their single
// source: schemas/report.schema.json from cli/report/model.ts (podsec check) and
// schemas/test-report.schema.json from cli/report/test-model.ts (podsec test). Each exported
// interface is an object (`@definition NAME` puts it under definitions; the root has `@title`),
// each property's doc comment its description; `@minimum N`, `@minItems N` and `@pattern NAME`
// (a pattern of engine/version.ts) add constraints. Numbers are integers: the reports hold no
// other. Run after a build.
//
//   node scripts/write-report-schema.mjs [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { VERSION_PATTERN } from '../dist/engine/version.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODELS = [
  { model: 'cli/report/model.ts', rootInterface: 'Report', target: 'schemas/report.schema.json' },
  { model: 'cli/report/test-model.ts', rootInterface: 'TestReport', target: 'schemas/test-report.schema.json' },
];

const minor = VERSION_PATTERN.source.slice(1, -1);
/** The patterns `@pattern` names. */
const PATTERNS = {
  policyVersion: `^(latest|${minor})$`,
  minorVersion: `^${minor}$`,
  minorVersionOrEmpty: `^(${minor})?$`,
};

/** The schema text of one model. */
function schemaText({ model, rootInterface, target }) {
  const modelFile = join(root, model);
  const program = ts.createProgram([modelFile], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(modelFile);

  class ModelError extends Error {}
  const fail = (node, message) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    throw new ModelError(`${modelFile}:${line + 1}:${character + 1}: ${message}`);
  };

  const describe = (symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s*\n\s*/g, ' ').trim();
  const tagsOf = (symbol) => new Map(symbol.getJsDocTags(checker).map((t) => [t.name, ts.displayPartsToString(t.text).trim()]));

  const interfaces = source.statements.filter(ts.isInterfaceDeclaration).filter((d) => d.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  /** Interface name → definition name. */
  const definitionNames = new Map();
  for (const decl of interfaces) {
    if (decl.name.text === rootInterface) continue;
    const name = tagsOf(checker.getSymbolAtLocation(decl.name)).get('definition');
    if (!name) fail(decl, `interface ${decl.name.text} has no @definition tag: name its place under the schema's definitions`);
    definitionNames.set(decl.name.text, name);
  }

  function literalValue(t) {
    if (t.isStringLiteral() || t.isNumberLiteral()) return t.value;
    if (t.flags & ts.TypeFlags.Null) return null;
    if (t.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(t) === 'true';
    return undefined;
  }

  function schemaOf(type, node, tags) {
    const constrain = (s) => {
      if (tags.has('minimum')) s.minimum = Number(tags.get('minimum'));
      return s;
    };
    if (type.flags & ts.TypeFlags.String) return { type: 'string', ...pattern(tags, node) };
    if (type.flags & ts.TypeFlags.Number) return constrain({ type: 'integer' });
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.isStringLiteral()) return { const: type.value };
    if (type.isUnion()) {
      // An optional property's `undefined` is its absence: `required` says that.
      const members = type.types.filter((m) => !(m.flags & ts.TypeFlags.Undefined));
      if (members.length === 1) return schemaOf(members[0], node, tags);
      const nullable = members.some((m) => m.flags & ts.TypeFlags.Null);
      const rest = members.filter((m) => !(m.flags & ts.TypeFlags.Null));
      if (rest.every((m) => literalValue(m) !== undefined)) {
        const values = members.map(literalValue);
        // `boolean | null`: TypeScript spells boolean as true | false.
        if (values.filter((v) => typeof v === 'boolean').length === 2 && values.length === (nullable ? 3 : 2)) return { type: nullable ? ['boolean', 'null'] : 'boolean' };
        return { enum: values.sort((a, b) => (a === null) - (b === null)) };
      }
      if (nullable && rest.length === 1 && rest[0].flags & ts.TypeFlags.String) return { type: ['string', 'null'], ...pattern(tags, node) };
      // An object or nothing (`Violation | null`).
      if (nullable && rest.length === 1 && rest[0].flags & ts.TypeFlags.Object) return { anyOf: [schemaOf(rest[0], node, tags), { type: 'null' }] };
      fail(node, `the union ${checker.typeToString(type)} has no JSON Schema form here: use literals, or one string or object type with null`);
    }
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type);
      const s = { type: 'array', items: schemaOf(element, node, tags) };
      if (tags.has('minItems')) s.minItems = Number(tags.get('minItems'));
      return s;
    }
    if (type.flags & ts.TypeFlags.Object) {
      const name = type.getSymbol()?.getName();
      if (name && definitionNames.has(name)) return { $ref: `#/definitions/${definitionNames.get(name)}` };
      if (name === '__type') return objectSchema(type, node);
    }
    fail(node, `the type ${checker.typeToString(type)} has no JSON Schema form here`);
  }

  function pattern(tags, node) {
    if (!tags.has('pattern')) return {};
    const p = PATTERNS[tags.get('pattern')];
    if (!p) fail(node, `@pattern ${tags.get('pattern')}: not one of ${Object.keys(PATTERNS).join(', ')}`);
    return { pattern: p };
  }

  function objectSchema(type, node) {
    const properties = {};
    const required = [];
    for (const prop of type.getProperties()) {
      const decl = prop.valueDeclaration ?? node;
      const tags = tagsOf(prop);
      const description = describe(prop);
      const s = schemaOf(checker.getTypeOfSymbolAtLocation(prop, decl), decl, tags);
      // A $ref's siblings are ignored in draft-07: a description goes around it.
      properties[prop.getName()] = description ? (s.$ref ? { description, allOf: [s] } : { description, ...s }) : s;
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.getName());
    }
    return { type: 'object', additionalProperties: false, required, properties };
  }

  const definitions = {};
  let rootSchema;
  for (const decl of interfaces) {
    const symbol = checker.getSymbolAtLocation(decl.name);
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const description = describe(symbol);
    const s = { ...(description ? { description } : {}), ...objectSchema(type, decl) };
    if (decl.name.text === rootInterface) rootSchema = { title: tagsOf(symbol).get('title'), ...s };
    else definitions[definitionNames.get(decl.name.text)] = s;
  }
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://podsec.dev/${target}`,
    $comment: `Generated by scripts/write-report-schema.mjs from ${model}; do not edit.`,
    ...rootSchema,
    definitions,
  };
  return JSON.stringify(schema, null, 2) + '\n';
}

let stale = false;
for (const m of MODELS) {
  const text = schemaText(m);
  const file = join(root, m.target);
  if (!process.argv.includes('--check')) {
    writeFileSync(file, text);
    console.log(`wrote ${m.target}`);
  } else if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    console.error(`${m.target} is not what ${m.model} gives: run npm run schemas`);
    stale = true;
  }
}
if (stale) process.exit(1);
