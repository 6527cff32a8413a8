/**
 * What the API server's validation refuses in a workload's own spec (replicas, update strategies,
 * a Job's completions, a CronJob's schedule...), from the table in workload-spec-refusals.json, and
 * here what a table does not say: a CronJob's schedule and time zone (cron.ts), a StatefulSet's
 * claim templates (claim-refusals.ts) and serviceName, a pod failure policy's condition types, a
 * Job's success policy. Like the pod spec's refusals, for `podsec check` only.
 */
import { claimTemplateRefusals } from './claim-refusals.js';
import { cronScheduleError, timeZoneErrors } from './cron.js';
import { goJson, goQuote } from './gostrings.js';
import { dns1123LabelErrors, labelKeyErrors } from './names.js';
import { addRefusals, at, NO_REFUSALS, refusalTable, type SpecRefusal } from './refusal-table.js';

const FILE = 'workload-spec-refusals.json';

/** Each kind's lists of checks, in order: the checks in code run between them (see between). */
const PHASES: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['Deployment'],
  ReplicaSet: ['ReplicaSet'],
  ReplicationController: ['ReplicationController'],
  StatefulSet: ['StatefulSet', 'StatefulSetAfterClaims'],
  DaemonSet: ['DaemonSet'],
  Job: ['Job'],
  CronJob: ['CronJob', 'CronJobAfterSchedule', 'CronJobAfterTimeZone'],
};

const SERVICE_NAME_HINT = 'name the headless Service that governs the pods: a DNS label (lower case letters, digits and "-")';

function refusal(path: (string | number)[], body: string, hint: string): SpecRefusal {
  return { path, body, hint };
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

const SUCCESS_HINT = 'a success policy names indexes of an Indexed Job: succeededIndexes such as "0,2-4" (below completions, ascending), and succeededCount';

/** Go's strconv.Atoi, or undefined where it fails. */
function atoi(s: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined;
}

/** upstream's validateIndexesFormat: how many indexes "0,2-4" names, or why it names none. */
function indexesFormat(text: string, completions: number): { total: number } | { error: string } {
  if (text === '') return { total: 0 };
  let last: number | undefined;
  let total = 0;
  for (const interval of text.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return { error: `the fragment ${goQuote(interval)} violates the requirement that an index interval can have at most two parts separated by '-'` };
    const bounds: number[] = [];
    for (const limit of limits) {
      const n = atoi(limit);
      if (n === undefined) return { error: `cannot convert string to integer for index: ${goQuote(limit)}` };
      if (n >= completions) return { error: `too large index: ${goQuote(limit)}` };
      bounds.push(n);
    }
    const [x, y = x] = bounds as [number, number?];
    if (limits.length > 1 && x >= y) return { error: `non-increasing order, previous: ${x}, current: ${y}` };
    if (last !== undefined && last >= x) return { error: `non-increasing order, previous: ${last}, current: ${x}` };
    total += y - x + 1;
    last = y;
  }
  return { total };
}

/** A Job's successPolicy, as validateJobSpec and validateSuccessPolicy refuse it. */
function successPolicyRefusals(jobSpec: unknown, base: readonly string[]): SpecRefusal[] {
  const out: SpecRefusal[] = [];
  const policy = at(jobSpec, ['successPolicy']);
  if (policy == null) return out;
  const rules = at(policy, ['rules']);
  const list = Array.isArray(rules) ? rules : [];
  const path = (...rest: (string | number)[]): (string | number)[] => [...base, 'successPolicy', ...rest];
  if (at(jobSpec, ['completionMode']) !== 'Indexed') {
    // The internal struct as JSON, as upstream prints it.
    const shown = list.map((r) => `{"SucceededIndexes":${goJson(at(r, ['succeededIndexes']) ?? null)},"SucceededCount":${goJson(at(r, ['succeededCount']) ?? null)}}`);
    out.push(refusal(path(), `Invalid value: {"Rules":${Array.isArray(rules) ? `[${shown.join(',')}]` : 'null'}}: requires indexed completion mode`,
      'a success policy counts the indexes of an Indexed Job: set completionMode: Indexed, or remove successPolicy'));
    return out;
  }
  if (list.length === 0) out.push(refusal(path('rules'), 'Required value: at least one rules must be specified when the successPolicy is specified', SUCCESS_HINT));
  if (list.length > 20) out.push(refusal(path('rules'), `Too many: ${list.length}: must have at most 20 items`, 'keep at most 20 success policy rules'));
  // Upstream reads completions unchecked: without them (parallelism set, completions not) its
  // validation fails in other words; the Job is refused for the missing completions anyway.
  const completions = at(jobSpec, ['completions']);
  if (typeof completions !== 'number') return out;
  list.forEach((rule, i) => {
    const indexes = at(rule, ['succeededIndexes']);
    const count = at(rule, ['succeededCount']);
    if (indexes == null && count == null) out.push(refusal(path('rules', i), 'Required value: at least one of succeededCount or succeededIndexes must be specified', SUCCESS_HINT));
    let total = 0;
    if (typeof indexes === 'string') {
      if (Buffer.byteLength(indexes, 'utf8') > 65536) out.push(refusal(path('rules', i, 'succeededIndexes'), 'Too long: may not be more than 65536 bytes', SUCCESS_HINT));
      const parsed = indexesFormat(indexes, completions);
      if ('error' in parsed) out.push(refusal(path('rules', i, 'succeededIndexes'), `Invalid value: ${goQuote(indexes)}: error parsing succeededIndexes: ${parsed.error}`, SUCCESS_HINT));
      else total = parsed.total;
    }
    if (typeof count === 'number') {
      if (count < 0) out.push(refusal(path('rules', i, 'succeededCount'), `Invalid value: ${count}: must be greater than or equal to 0`, SUCCESS_HINT));
      if (count > completions) out.push(refusal(path('rules', i, 'succeededCount'), `Invalid value: ${count}: must be less than or equal to ${completions} (the number of specified completions)`, SUCCESS_HINT));
      if (typeof indexes === 'string' && count > total) {
        out.push(refusal(path('rules', i, 'succeededCount'), `Invalid value: ${count}: must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`, SUCCESS_HINT));
      }
    }
  });
  return out;
}

/** The checks in code, after a phase of the kind's table, in upstream's order. */
function between(kind: string): ((phase: number, spec: Record<string, unknown>) => void) | undefined {
  if (kind === 'StatefulSet') {
    return (phase, spec) => {
      if (phase === 0) {
        const claims = spec.volumeClaimTemplates;
        if (Array.isArray(claims)) claims.forEach((claim, i) => addRefusals(claimTemplateRefusals(claim, ['volumeClaimTemplates', i])));
        return;
      }
      const name = spec.serviceName;
      if (typeof name !== 'string' || name === '') return;
      addRefusals(dns1123LabelErrors(name).map((m) => refusal(['serviceName'], `Invalid value: ${goQuote(name)}: ${m}`, SERVICE_NAME_HINT)));
    };
  }
  if (kind === 'Job') {
    return (_phase, spec) => {
      addRefusals(conditionTypeRefusals(spec, []));
      addRefusals(successPolicyRefusals(spec, []));
    };
  }
  if (kind === 'CronJob') {
    return (phase, spec) => {
      if (phase === 2) {
        addRefusals(conditionTypeRefusals(at(spec, ['jobTemplate', 'spec']), ['jobTemplate', 'spec']));
        addRefusals(successPolicyRefusals(at(spec, ['jobTemplate', 'spec']), ['jobTemplate', 'spec']));
      }
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

const tables = new Map(Object.entries(PHASES).map(([kind, phases]) => [kind, { table: refusalTable(FILE, phases), between: between(kind) }]));

/**
 * The errors validation gives a workload's own spec (paths from the spec), in upstream's order;
 * none for a kind without one (a Pod's spec is the pod spec).
 */
export function workloadSpecRefusals(kind: string, spec: unknown): readonly SpecRefusal[] {
  const t = tables.get(kind);
  if (!t || typeof spec !== 'object' || spec === null || Array.isArray(spec)) return NO_REFUSALS;
  return t.table.refusals(spec as Record<string, unknown>, undefined, 'template', t.between);
}
