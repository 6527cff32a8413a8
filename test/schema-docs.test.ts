// The keys rule authors write are documented in the schema, so in editors and in docs/rules.md.
import t from 'tap';
import { ruleSchema } from '../engine/schema.js';

t.test('every key of a finding and of its record has a description', async (t) => {
  const finding = ruleSchema.properties.versions.items.properties.findings.additionalProperties as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
  for (const [key, schema] of Object.entries(finding.properties)) t.ok(schema.description, `finding.${key}`);
  const record = finding.properties.record!.properties!;
  t.same(Object.keys(record), ['fact', 'path', 'default', 'firstKeyOf', 'otherwise', 'format']);
  for (const [key, schema] of Object.entries(record)) t.ok(schema.description, `record.${key}`);
});
