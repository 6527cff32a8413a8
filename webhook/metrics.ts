/** Prometheus counters with upstream's PodSecurity metric names and labels. */
import type { MetricEvent } from '../admission/admission.js';

interface CounterDef {
  name: string;
  help: string;
  labels: string[];
}

const EVALUATIONS: CounterDef = {
  name: 'pod_security_evaluations_total',
  help: '[ALPHA] Number of policy evaluations that occurred, not counting ignored or exempt requests.',
  labels: ['decision', 'policy_level', 'policy_version', 'mode', 'request_operation', 'resource', 'subresource'],
};
const EXEMPTIONS: CounterDef = {
  name: 'pod_security_exemptions_total',
  help: '[ALPHA] Number of exempt requests, not counting ignored or out of scope requests.',
  labels: ['request_operation', 'resource', 'subresource'],
};
const ERRORS: CounterDef = {
  name: 'pod_security_errors_total',
  help: '[ALPHA] Number of errors preventing normal evaluation. Non-fatal errors may result in the latest restricted profile being used for evaluation.',
  labels: ['fatal', 'request_operation', 'resource', 'subresource'],
};
const REQUESTS: CounterDef = {
  name: 'podsec_webhook_requests_total',
  help: 'Admission HTTP requests by HTTP status code.',
  labels: ['code'],
};

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly def: CounterDef) {}
  inc(labels: object): void {
    const key = this.key(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + 1);
  }
  /** Creates the series at zero, so a scrape shows it before the first event. */
  create(labels: object): void {
    const key = this.key(labels);
    if (!this.values.has(key)) this.values.set(key, 0);
  }
  private key(labels: object): string {
    const l = labels as Record<string, unknown>;
    const names = this.def.labels;
    let key = String(l[names[0]!] ?? '');
    for (let i = 1; i < names.length; i++) key += '\u0000' + String(l[names[i]!] ?? '');
    return key;
  }
  /** For a counter with one label: its value is the key. */
  incKey(key: string): void {
    this.values.set(key, (this.values.get(key) ?? 0) + 1);
  }
  render(out: string[]): void {
    out.push(`# HELP ${this.def.name} ${this.def.help}`, `# TYPE ${this.def.name} counter`);
    const sortedNames = [...this.def.labels].sort();
    for (const [key, value] of this.values) {
      const parts = key.split('\u0000');
      const byName: Record<string, string> = {};
      this.def.labels.forEach((l, i) => (byName[l] = parts[i] ?? ''));
      const labelText = sortedNames.map((l) => `${l}="${escapeLabel(byName[l]!)}"`).join(',');
      out.push(`${this.def.name}{${labelText}} ${value}`);
    }
  }
}

export class Metrics {
  private readonly evaluations = new Counter(EVALUATIONS);
  private readonly exemptions = new Counter(EXEMPTIONS);
  private readonly errors = new Counter(ERRORS);
  private readonly requests = new Counter(REQUESTS);
  private readonly buckets = new Array<number>(DURATION_BUCKETS.length).fill(0);
  private durationSum = 0;
  private durationCount = 0;

  constructor() {
    // Upstream's populateCache creates these series when the counters are registered.
    for (const op of ['create', 'update']) {
      this.evaluations.create({ decision: 'allow', policy_level: 'privileged', policy_version: 'latest', mode: 'enforce', request_operation: op, resource: 'pod', subresource: '' });
    }
    for (const resource of ['pod', 'controller']) {
      for (const op of ['create', 'update']) this.exemptions.create({ request_operation: op, resource, subresource: '' });
    }
  }

  record(events: readonly MetricEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'evaluation':
          this.evaluations.inc(e);
          break;
        case 'exemption':
          this.exemptions.inc(e);
          break;
        case 'error':
          this.errors.inc({ ...e, fatal: String(e.fatal) });
          break;
      }
    }
  }

  request(code: number, seconds: number): void {
    this.requests.incKey(String(code));
    this.durationSum += seconds;
    this.durationCount++;
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]!) this.buckets[i]!++;
  }

  render(): string {
    const out: string[] = [];
    this.evaluations.render(out);
    this.exemptions.render(out);
    this.errors.render(out);
    this.requests.render(out);
    const h = 'podsec_webhook_request_duration_seconds';
    out.push(`# HELP ${h} Time to answer an admission request.`, `# TYPE ${h} histogram`);
    DURATION_BUCKETS.forEach((b, i) => out.push(`${h}_bucket{le="${b}"} ${this.buckets[i]}`));
    out.push(`${h}_bucket{le="+Inf"} ${this.durationCount}`, `${h}_sum ${this.durationSum}`, `${h}_count ${this.durationCount}`);
    return out.join('\n') + '\n';
  }
}
