/**
 * What the API server's validation refuses in a workload's own spec (replicas, update strategies,
 * a Job's completions, a CronJob's schedule...), from the table in workload-spec-refusals.json, and
 * here what a table does not say: a CronJob's schedule and time zone (cron.ts), a StatefulSet's
 * serviceName. Like the pod spec's refusals, for `podsec check` only.
 */
import { cronScheduleError, timeZoneErrors } from './cron.js';
import { goQuote } from './gostrings.js';
import { dns1123LabelErrors, labelKeyErrors } from './names.js';
import { canonicalQuantity, exactQuantity, roundUp } from './quantity-exact.js';
import { addRefusals, NO_REFUSALS, readTable, refusalTable, type RefusalTable, type SpecRefusal, type TableSource } from './refusal-table.js';

const FILE = 'workload-spec-refusals.json';

/** Each kind's lists of checks, in order: the checks in code run between them (see between). */
const PHASES: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['Deployment'],
  ReplicaSet: ['ReplicaSet'],
  ReplicationController: ['ReplicationController'],
  StatefulSet: ['StatefulSet'],
  DaemonSet: ['DaemonSet'],
  Job: ['Job'],
  CronJob: ['CronJob', 'CronJobAfterSchedule', 'CronJobAfterTimeZone'],
};

const SERVICE_NAME_HINT = 'name the headless Service that governs the pods: a DNS label (lower case letters, digits and "-")';

function refusal(path: (string | number)[], body: string, hint: string): SpecRefusal {
  return { path, body, hint };
}

/** A claim template's storage request of 0 or less, after the milli round-up defaulting gives it. */
function claimStorageRefusals(claims: unknown): SpecRefusal[] {
  const out: SpecRefusal[] = [];
  if (!Array.isArray(claims)) return out;
  claims.forEach((claim, i) => {
    const q = exactQuantity(at(claim, ['spec', 'resources', 'requests', 'storage']));
    if (!q) return;
    const rounded = roundUp(q, -3);
    if (rounded.mantissa > 0n) return;
    out.push({
      path: ['volumeClaimTemplates', i, 'spec', 'resources', 'requests', 'storage'],
      shownText: `spec.volumeClaimTemplates[${i}].spec.resources[storage]`,
      body: `Invalid value: ${goQuote(canonicalQuantity(rounded))}: must be greater than zero`,
      hint: 'request the size the claim needs, such as 1Gi',
    });
  });
  return out;
}

/** A pod failure policy's pod condition types that are no qualified names (ValidateQualifiedName). */
function conditionTypeRefusals(jobSpec: unknown, base: readonly string[]): SpecRefusal[] {
  const out: SpecRefusal[] = [];
  const rules = at(jobSpec, ['podFailurePolicy', 'rules']);
  if (!Array.isArray(rules)) return out;
  rules.forEach((rule, i) => {
    const conditions = at(rule, ['onPodConditions']);
    if (!Array.isArray(conditions)) return;
    conditions.forEach((condition, j) => {
      const type = at(condition, ['type']);
      const text = typeof type === 'string' ? type : '';
      for (const m of labelKeyErrors(text)) {
        out.push(refusal([...base, 'podFailurePolicy', 'rules', i, 'onPodConditions', j, 'type'], `Invalid value: ${goQuote(text)}: ${m}`,
          'name a pod condition type, such as DisruptionTarget or ConfigIssue'));
      }
    });
  });
  return out;
}

function at(v: unknown, path: readonly string[]): unknown {
  for (const key of path) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** The checks in code, after a phase of the kind's table, in upstream's order. */
function between(kind: string): ((phase: number, spec: Record<string, unknown>) => void) | undefined {
  if (kind === 'StatefulSet') {
    return (_phase, spec) => {
      addRefusals(claimStorageRefusals(spec.volumeClaimTemplates));
      const name = spec.serviceName;
      if (typeof name !== 'string' || name === '') return;
      addRefusals(dns1123LabelErrors(name).map((m) => refusal(['serviceName'], `Invalid value: ${goQuote(name)}: ${m}`, SERVICE_NAME_HINT)));
    };
  }
  if (kind === 'Job') return (_phase, spec) => addRefusals(conditionTypeRefusals(spec, []));
  if (kind === 'CronJob') {
    return (phase, spec) => {
      if (phase === 2) addRefusals(conditionTypeRefusals(at(spec, ['jobTemplate', 'spec']), ['jobTemplate', 'spec']));
      if (phase === 0) {
        const schedule = spec.schedule;
        const why = typeof schedule === 'string' && schedule !== '' ? cronScheduleError(schedule) : undefined;
        if (why !== undefined) {
          addRefusals([refusal(['schedule'], `Invalid value: ${goQuote(schedule as string)}: ${why}`,
            'write five fields (minute, hour, day of month, month, day of week: "30 2 * * 1-5") or a descriptor such as @daily or @every 1h')]);
        }
      } else if (phase === 1) {
        const tz = spec.timeZone;
        if (typeof tz !== 'string' || tz === '') return;
        addRefusals(timeZoneErrors(tz).map((m) => refusal(['timeZone'], `Invalid value: ${goQuote(tz)}: ${m}`,
          'name a zone of the IANA time zone database, such as Europe/Berlin or America/New_York (the case matters), or leave timeZone out')));
      }
    };
  }
  return undefined;
}

let source: TableSource | undefined;
const tables = new Map<string, { table: RefusalTable; between: ReturnType<typeof between> }>();

/**
 * The errors validation gives a workload's own spec (paths from the spec), in upstream's order;
 * none for a kind without one (a Pod's spec is the pod spec).
 */
export function workloadSpecRefusals(kind: string, spec: unknown): readonly SpecRefusal[] {
  const phases = PHASES[kind];
  if (!phases || typeof spec !== 'object' || spec === null || Array.isArray(spec)) return NO_REFUSALS;
  let t = tables.get(kind);
  if (!t) {
    source ??= readTable(FILE);
    tables.set(kind, (t = { table: refusalTable(FILE, phases, source), between: between(kind) }));
  }
  return t.table.refusals(spec as Record<string, unknown>, undefined, 'template', t.between);
}
