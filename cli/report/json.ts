/** Machine-readable report; its shape is schemas/report.schema.json. */
import type { Report } from './model.js';

export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
