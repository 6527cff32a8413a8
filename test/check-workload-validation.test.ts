// `podsec check` refuses what the API server's validation refuses in a workload's own spec
// (apps/validation's ValidateDeploymentSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec...,
// batch/validation's validateJobSpec and validateCronJobSpec, ValidateReplicationControllerSpec),
// after defaulting, in upstream's words and where the field is written; and it takes what they take.
import t from 'tap';
import { cronScheduleError, knownTimeZone, timeZoneErrors } from '../admission/cron.js';
import { check } from './helpers/spec-refusals.js';

const TEMPLATE = ['  template:', '    metadata: {labels: {app: w}}', '    spec:', '      containers: [{name: app, image: nginx}]'];
const HEADS: Record<string, string[]> = {
  Deployment: ['apiVersion: apps/v1', 'kind: Deployment'],
  ReplicaSet: ['apiVersion: apps/v1', 'kind: ReplicaSet'],
  StatefulSet: ['apiVersion: apps/v1', 'kind: StatefulSet'],
  DaemonSet: ['apiVersion: apps/v1', 'kind: DaemonSet'],
  ReplicationController: ['apiVersion: v1', 'kind: ReplicationController'],
  Job: ['apiVersion: batch/v1', 'kind: Job'],
  CronJob: ['apiVersion: batch/v1', 'kind: CronJob'],
};

/** A workload of the kind named w whose spec starts with these lines; their first is line 5 of the document. */
function workload(kind: string, spec: string[]): string {
  const tail = kind === 'Job'
    ? ['  template:', '    spec:', '      restartPolicy: Never', '      containers: [{name: app, image: busybox}]']
    : kind === 'CronJob'
      // A case that writes the Job template's spec gets only its pod template here.
      ? [...(spec.includes('jobTemplate:') ? [] : ['  jobTemplate:', '    spec:']), '      template:', '        spec:', '          restartPolicy: Never', '          containers: [{name: app, image: busybox}]']
      : kind === 'ReplicationController' ? TEMPLATE : ['  selector: {matchLabels: {app: w}}', ...TEMPLATE];
  return [...HEADS[kind]!, 'metadata: {name: w}', 'spec:', ...spec.map((l) => `  ${l}`), ...tail, ''].join('\n');
}

const FIRST_LINE = 5;
const NONNEGATIVE = 'must be greater than or equal to 0';
const PERCENT = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

// [name, kind, spec lines, [line within the spec lines (-1: the `spec:` line), path, body, and the key (or
// list item) it is reported at where that is not the path's last (the deepest the manifest has)]]
type Case = [string, string, string[], [number, string, string, string?][]];
const CASES: Case[] = [
  ['a Deployment: negative counts; a deadline no longer than minReadySeconds, defaulted to 600', 'Deployment',
    ['replicas: -1', 'minReadySeconds: 700', 'revisionHistoryLimit: -3'],
    [[0, 'spec.replicas', `Invalid value: -1: ${NONNEGATIVE}`],
      [2, 'spec.revisionHistoryLimit', `Invalid value: -3: ${NONNEGATIVE}`],
      [-1, 'spec.progressDeadlineSeconds', 'Invalid value: 600: must be greater than minReadySeconds', 'spec']]],
  ['a negative deadline is refused twice', 'Deployment', ['progressDeadlineSeconds: -1'],
    [[0, 'spec.progressDeadlineSeconds', `Invalid value: -1: ${NONNEGATIVE}`],
      [0, 'spec.progressDeadlineSeconds', 'Invalid value: -1: must be greater than minReadySeconds']]],
  ['a Deployment\'s rolling update: percent strings, both zero, more than 100% unavailable (a surge may be more)', 'Deployment',
    ['strategy:', '  rollingUpdate: {maxUnavailable: "abc", maxSurge: "0%"}'],
    [[1, 'spec.strategy.rollingUpdate.maxUnavailable', `Invalid value: "abc": ${PERCENT}`],
      [1, 'spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: "abc": may not be 0 when `maxSurge` is 0']]],
  ['more than 100%, a number written as a string, a negative surge', 'Deployment',
    ['strategy:', '  type: RollingUpdate', '  rollingUpdate: {maxUnavailable: "101%", maxSurge: -1}'],
    [[2, 'spec.strategy.rollingUpdate.maxSurge', `Invalid value: -1: ${NONNEGATIVE}`],
      [2, 'spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: "101%": must not be greater than 100%']]],
  ['Recreate with a rolling update; an unknown type, printed as upstream\'s internal struct', 'Deployment',
    ['strategy: {type: Recreate, rollingUpdate: {}}'],
    [[0, 'spec.strategy.rollingUpdate', "Forbidden: may not be specified when strategy `type` is 'Recreate'"]]],
  ['an unknown strategy type', 'Deployment', ['strategy:', '  type: rollingUpdate', '  rollingUpdate: {maxSurge: 1}'],
    [[0, 'spec.strategy', 'Unsupported value: {"Type":"rollingUpdate","RollingUpdate":{"MaxUnavailable":0,"MaxSurge":1}}: supported values: "Recreate", "RollingUpdate"']]],
  ['an unknown strategy type without a rolling update', 'Deployment', ['strategy: {type: BlueGreen}'],
    [[0, 'spec.strategy', 'Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"']]],
  ['a ReplicaSet and a ReplicationController: replicas and minReadySeconds', 'ReplicaSet', ['replicas: -2', 'minReadySeconds: -1'],
    [[0, 'spec.replicas', `Invalid value: -2: ${NONNEGATIVE}`], [1, 'spec.minReadySeconds', `Invalid value: -1: ${NONNEGATIVE}`]]],
  ['a ReplicationController', 'ReplicationController', ['replicas: -2', 'minReadySeconds: -1'],
    [[0, 'spec.replicas', `Invalid value: -2: ${NONNEGATIVE}`], [1, 'spec.minReadySeconds', `Invalid value: -1: ${NONNEGATIVE}`]]],
  ['a StatefulSet: its policies, its update strategy, ordinals, serviceName', 'StatefulSet',
    ['serviceName: My_Svc', 'podManagementPolicy: parallel', 'updateStrategy: {type: OnDelete, rollingUpdate: {partition: 2}}',
      'persistentVolumeClaimRetentionPolicy: {whenDeleted: retain, whenScaled: Delete}', 'ordinals: {start: -1}', 'replicas: -1'],
    [[0, 'spec.serviceName', `Invalid value: "My_Svc": ${LABEL}`],
      [1, 'spec.podManagementPolicy', 'Invalid value: "parallel": must be \'OrderedReady\' or \'Parallel\''],
      [2, 'spec.updateStrategy.rollingUpdate', 'Invalid value: {"Partition":2,"MaxUnavailable":null}: only allowed for updateStrategy \'RollingUpdate\''],
      [3, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted', 'Unsupported value: "retain": supported values: "Retain", "Delete"'],
      [4, 'spec.ordinals.start', `Invalid value: -1: ${NONNEGATIVE}`],
      [5, 'spec.replicas', `Invalid value: -1: ${NONNEGATIVE}`]]],
  ['a StatefulSet\'s rolling update: partition, maxUnavailable zero or past 100%; an unknown type', 'StatefulSet',
    ['updateStrategy:', '  rollingUpdate: {partition: -1, maxUnavailable: "0%"}'],
    [[1, 'spec.updateStrategy.rollingUpdate.partition', `Invalid value: -1: ${NONNEGATIVE}`],
      [1, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'Invalid value: "0%": cannot be 0']]],
  ['a StatefulSet\'s unknown update type', 'StatefulSet', ['updateStrategy: {type: Rolling, rollingUpdate: {maxUnavailable: "200%"}}', 'serviceName: db.svc'],
    [[0, 'spec.updateStrategy', 'Invalid value: {"Type":"Rolling","RollingUpdate":{"Partition":0,"MaxUnavailable":"200%"}}: must be \'RollingUpdate\' or \'OnDelete\''],
      [1, 'spec.serviceName', 'Invalid value: "db.svc": must not contain dots']]],
  // Claim templates are validated as claims since 1.34; upstream prints the storage request at resources[storage].
  ['a StatefulSet\'s claim templates: access modes, storage, class, mode', 'StatefulSet',
    ['volumeClaimTemplates:', '- metadata: {name: data}', '  spec: {resources: {requests: {storage: 1Gi}}}', '- metadata: {name: wal}', '  spec:',
      '    accessModes: [ReadWriteOncePod, ReadWriteOnce, readwriteonce, readwriteonce]', '    storageClassName: Fast_SSD', '    volumeMode: filesystem',
      '    resources: {requests: {storage: "-0.0001"}}', '- metadata: {name: logs}', '  spec: {accessModes: [ReadWriteOnce], resources: {limits: {storage: 1Gi}}}',
      // Checked after the claims, whose table runs inside this one's.
      'replicas: -1', 'serviceName: Db'],
    [[2, 'spec.volumeClaimTemplates[0].spec.accessModes', 'Required value: at least 1 access mode is required', 'spec'],
      [5, 'spec.volumeClaimTemplates[1].spec.accessModes', 'Forbidden: may not use ReadWriteOncePod with other access modes'],
      // Two of one bad mode: upstream prints the line once.
      [5, 'spec.volumeClaimTemplates[1].spec.accessModes', 'Unsupported value: "readwriteonce": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"', 'readwriteonce'],
      [6, 'spec.volumeClaimTemplates[1].spec.storageClassName', `Invalid value: "Fast_SSD": ${SUBDOMAIN}`],
      [7, 'spec.volumeClaimTemplates[1].spec.volumeMode', 'Unsupported value: "filesystem": supported values: "Block", "Filesystem"'],
      // Defaulting rounds it up to milli, away from zero.
      [8, 'spec.volumeClaimTemplates[1].spec.resources[storage]', 'Invalid value: "-1m": must be greater than zero', 'storage'],
      [10, 'spec.volumeClaimTemplates[2].spec.resources[storage]', 'Required value', 'resources'],
      [11, 'spec.replicas', `Invalid value: -1: ${NONNEGATIVE}`],
      [12, 'spec.serviceName', `Invalid value: "Db": ${LABEL}`]]],
  ['a StatefulSet\'s claim templates: data sources', 'StatefulSet',
    ['volumeClaimTemplates:', '- metadata: {name: a}', '  spec:', '    accessModes: [ReadWriteOnce]', '    resources: {requests: {storage: 1Gi}}',
      '    dataSource: {kind: VolumeSnapshot, name: snap}', '    dataSourceRef: {kind: VolumeSnapshot, name: other, apiGroup: Snapshot.storage.k8s.io}',
      '- metadata: {name: b}', '  spec:', '    accessModes: [ReadWriteOnce]', '    resources: {requests: {storage: 1Gi}}', '    selector: {matchExpressions: [{key: tier, operator: in}]}',
      '    dataSourceRef: {kind: PersistentVolumeClaim, name: src, namespace: team.a}', '    dataSource: {kind: PersistentVolumeClaim, name: ""}'],
    [[5, 'spec.volumeClaimTemplates[0].spec.dataSource', 'Invalid value: "VolumeSnapshot": must be \'PersistentVolumeClaim\' when referencing the default apiGroup', 'dataSource'],
      [6, 'spec.volumeClaimTemplates[0].spec.dataSourceRef.apiGroup', `Invalid value: "Snapshot.storage.k8s.io": ${SUBDOMAIN}`],
      [2, 'spec.volumeClaimTemplates[0].spec', 'Invalid value: {}: must match dataSourceRef', 'spec'],
      [11, 'spec.volumeClaimTemplates[1].spec.selector.matchExpressions[0].operator', 'Invalid value: "in": not a valid selector operator'],
      [13, 'spec.volumeClaimTemplates[1].spec.dataSource.name', 'Required value'],
      [12, 'spec.volumeClaimTemplates[1].spec.dataSourceRef.namespace', 'Invalid value: "team.a": must not contain dots'],
      [8, 'spec.volumeClaimTemplates[1].spec', 'Invalid value: {}: may not be specified when dataSourceRef.namespace is specified', 'spec']]],
  ['a DaemonSet: a surge needs maxUnavailable: 0 (it is 1 by default)', 'DaemonSet', ['updateStrategy:', '  rollingUpdate: {maxSurge: 1}', 'minReadySeconds: -1'],
    [[2, 'spec.minReadySeconds', `Invalid value: -1: ${NONNEGATIVE}`],
      [1, 'spec.updateStrategy.rollingUpdate.maxSurge', 'Invalid value: 1: may not be set when maxUnavailable is non-zero']]],
  ['a DaemonSet: both limited to 100%', 'DaemonSet', ['updateStrategy:', '  rollingUpdate: {maxUnavailable: 0, maxSurge: "101%"}', 'revisionHistoryLimit: -1'],
    [[1, 'spec.updateStrategy.rollingUpdate.maxSurge', 'Invalid value: "101%": must not be greater than 100%'],
      [2, 'spec.revisionHistoryLimit', `Invalid value: -1: ${NONNEGATIVE}`]]],
  ['a DaemonSet that both surges and takes pods down', 'DaemonSet', ['updateStrategy:', '  rollingUpdate: {maxUnavailable: "10%", maxSurge: "5"}'],
    [[1, 'spec.updateStrategy.rollingUpdate.maxSurge', `Invalid value: "5": ${PERCENT}`],
      // "5" is no percentage, but counts as 5 (Go's Atoi) where upstream asks which of the two is zero.
      [1, 'spec.updateStrategy.rollingUpdate.maxSurge', 'Invalid value: "5": may not be set when maxUnavailable is non-zero']]],
  ['a DaemonSet with nothing to roll', 'DaemonSet', ['updateStrategy:', '  rollingUpdate: {maxUnavailable: "0%"}'],
    [[1, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'Required value: cannot be 0 when maxSurge is 0']]],
  ['a DaemonSet\'s unknown update type', 'DaemonSet', ['updateStrategy: {type: Never}'],
    [[0, 'spec.updateStrategy', 'Unsupported value: {"Type":"Never","RollingUpdate":null}: supported values: "RollingUpdate", "OnDelete"']]],
  ['a Job: negative counts, per-index limits without Indexed, an unknown replacement policy', 'Job',
    ['parallelism: -1', 'completions: -1', 'activeDeadlineSeconds: -5', 'backoffLimit: -1', 'ttlSecondsAfterFinished: -1', 'maxFailedIndexes: 2', 'podReplacementPolicy: Sometimes'],
    [[0, 'spec.parallelism', `Invalid value: -1: ${NONNEGATIVE}`],
      [1, 'spec.completions', `Invalid value: -1: ${NONNEGATIVE}`],
      [2, 'spec.activeDeadlineSeconds', `Invalid value: -5: ${NONNEGATIVE}`],
      [3, 'spec.backoffLimit', `Invalid value: -1: ${NONNEGATIVE}`],
      [4, 'spec.ttlSecondsAfterFinished', `Invalid value: -1: ${NONNEGATIVE}`],
      [-1, 'spec.backoffLimitPerIndex', 'Required value: when maxFailedIndexes is specified', 'spec'],
      [5, 'spec.maxFailedIndexes', 'Invalid value: 2: requires indexed completion mode'],
      [6, 'spec.podReplacementPolicy', 'Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"']]],
  ['an Indexed Job: completions needed where parallelism is given, limits on parallelism and failed indexes', 'Job',
    ['completionMode: Indexed', 'parallelism: 100001', 'backoffLimitPerIndex: 1', 'maxFailedIndexes: 100001'],
    [[-1, 'spec.completions', 'Required value: when completion mode is Indexed', 'spec'],
      [1, 'spec.parallelism', 'Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed'],
      [3, 'spec.maxFailedIndexes', 'Invalid value: 100001: must be less than or equal to 100000']]],
  // Defaulting gives a Job 1 completion where neither completions nor parallelism is set.
  ['an Indexed Job of the one completion defaulting gives, with more failed indexes', 'Job', ['completionMode: Indexed', 'backoffLimitPerIndex: 1', 'maxFailedIndexes: 2'],
    [[2, 'spec.maxFailedIndexes', 'Invalid value: 2: must be less than or equal to completions']]],
  ['an Indexed Job: more failed indexes than completions; a mode of the wrong case', 'Job',
    ['completionMode: Indexed', 'completions: 3', 'backoffLimitPerIndex: 1', 'maxFailedIndexes: 5'],
    [[3, 'spec.maxFailedIndexes', 'Invalid value: 5: must be less than or equal to completions']]],
  ['a Job\'s completion mode, and its replacement policy with a pod failure policy', 'Job',
    ['completionMode: indexed', 'backoffLimitPerIndex: -1', 'podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}', 'podReplacementPolicy: TerminatingOrFailed'],
    [[1, 'spec.backoffLimitPerIndex', `Invalid value: -1: ${NONNEGATIVE}`],
      [0, 'spec.completionMode', 'Unsupported value: "indexed": supported values: "NonIndexed", "Indexed"'],
      [1, 'spec.backoffLimitPerIndex', 'Invalid value: -1: requires indexed completion mode'],
      [3, 'spec.podReplacementPolicy', 'Unsupported value: "TerminatingOrFailed": supported values: "Failed"']]],
  ['a Job managed by a controller named wrong', 'Job', ['managedBy: "Acme.io/a b"'],
    // Upstream prints the part at fault, the host or the path.
    [[0, 'spec.managedBy', `Invalid value: "Acme.io": ${SUBDOMAIN}`],
      [0, 'spec.managedBy', 'Invalid value: "a b": Invalid path (regex used for validation is \'[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+\')']]],
  ['a Job\'s pod failure policy: actions, exit codes, pod conditions', 'Job',
    ['podFailurePolicy:', '  rules:', '  - action: FailIndex', '    onExitCodes: {operator: In, values: [3, 0, 1, 1], containerName: nope}',
      '  - action: failjob', '    onPodConditions: [{type: "bad type!", status: maybe}]', '    onExitCodes: {operator: Has}', '  - {action: Ignore}'],
    [[2, 'spec.podFailurePolicy.rules[0].action', 'Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set'],
      [3, 'spec.podFailurePolicy.rules[0].onExitCodes.values', 'Invalid value: [3,0,1,1]: must be ordered'],
      [3, 'spec.podFailurePolicy.rules[0].onExitCodes.values[1]', 'Invalid value: 0: must not be 0 for the In operator', '0, 1, 1]'],
      [3, 'spec.podFailurePolicy.rules[0].onExitCodes.values[3]', 'Duplicate value: 1', '1]'],
      [3, 'spec.podFailurePolicy.rules[0].onExitCodes.containerName', 'Invalid value: "nope": must be one of the container or initContainer names in the pod template'],
      [4, 'spec.podFailurePolicy.rules[1]', 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported', '- action'],
      [4, 'spec.podFailurePolicy.rules[1].action', 'Unsupported value: "failjob": supported values: "Count", "FailIndex", "FailJob", "Ignore"'],
      [5, 'spec.podFailurePolicy.rules[1].onPodConditions[0].type', `Invalid value: "bad type!": ${QUALIFIED_NAME}`],
      [5, 'spec.podFailurePolicy.rules[1].onPodConditions[0].status', 'Unsupported value: "maybe": supported values: "False", "True", "Unknown"'],
      [6, 'spec.podFailurePolicy.rules[1].onExitCodes.values', 'Invalid value: null: at least one value is required', 'onExitCodes'],
      [6, 'spec.podFailurePolicy.rules[1].onExitCodes.operator', 'Unsupported value: "Has": supported values: "In", "NotIn"'],
      [7, 'spec.podFailurePolicy.rules[2]', 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required', '- {action']]],
  ['a CronJob\'s Job template: its manager and its pod failure policy', 'CronJob',
    ['schedule: "@hourly"', 'jobTemplate:', '  spec:', '    managedBy: nope', '    podFailurePolicy:', '      rules:', '      - {action: "", onExitCodes: {operator: NotIn, values: []}}'],
    [[3, 'spec.jobTemplate.spec.managedBy', 'Invalid value: "nope": must be a domain-prefixed path (such as "acme.io/foo")'],
      [6, 'spec.jobTemplate.spec.podFailurePolicy.rules[0].action', 'Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'],
      [6, 'spec.jobTemplate.spec.podFailurePolicy.rules[0].onExitCodes.values', 'Invalid value: []: at least one value is required', 'values']]],
  ['a Job\'s success policy without Indexed completion', 'Job', ['successPolicy: {rules: [{succeededIndexes: "0"}]}'],
    [[0, 'spec.successPolicy', 'Invalid value: {"Rules":[{"SucceededIndexes":"0","SucceededCount":null}]}: requires indexed completion mode']]],
  ['an Indexed Job\'s success policy: rules, indexes, counts', 'Job',
    ['completionMode: Indexed', 'completions: 5', 'successPolicy:', '  rules:', '  - {}', '  - {succeededIndexes: "0,2-1"}', '  - {succeededIndexes: "1-2,2", succeededCount: 1}',
      '  - {succeededIndexes: "0-1,3", succeededCount: 4}', '  - {succeededIndexes: "7"}', '  - {succeededCount: 6}'],
    [[4, 'spec.successPolicy.rules[0]', 'Required value: at least one of succeededCount or succeededIndexes must be specified', '- {}'],
      [5, 'spec.successPolicy.rules[1].succeededIndexes', 'Invalid value: "0,2-1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1'],
      [6, 'spec.successPolicy.rules[2].succeededIndexes', 'Invalid value: "1-2,2": error parsing succeededIndexes: non-increasing order, previous: 2, current: 2'],
      // Indexes that do not parse count as none, as upstream counts them.
      [6, 'spec.successPolicy.rules[2].succeededCount', 'Invalid value: 1: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)'],
      [7, 'spec.successPolicy.rules[3].succeededCount', 'Invalid value: 4: must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)'],
      [8, 'spec.successPolicy.rules[4].succeededIndexes', 'Invalid value: "7": error parsing succeededIndexes: too large index: "7"'],
      [9, 'spec.successPolicy.rules[5].succeededCount', 'Invalid value: 6: must be less than or equal to 5 (the number of specified completions)']]],
  ['a CronJob: six fields, a zone not in the database, a policy of the wrong case, its Job template\'s fields', 'CronJob',
    ['schedule: "0 0 * * * *"', 'timeZone: Mars/Base', 'concurrencyPolicy: forbid', 'startingDeadlineSeconds: -1', 'successfulJobsHistoryLimit: -1', 'failedJobsHistoryLimit: -1',
      'jobTemplate:', '  spec:', '    completionMode: Indexed', '    backoffLimit: -2'],
    [[0, 'spec.schedule', 'Invalid value: "0 0 * * * *": expected exactly 5 fields, found 6: [0 0 * * * *]'],
      [3, 'spec.startingDeadlineSeconds', `Invalid value: -1: ${NONNEGATIVE}`],
      [1, 'spec.timeZone', 'Invalid value: "Mars/Base": unknown time zone Mars/Base'],
      [2, 'spec.concurrencyPolicy', 'Unsupported value: "forbid": supported values: "Allow", "Forbid", "Replace"'],
      [9, 'spec.jobTemplate.spec.backoffLimit', `Invalid value: -2: ${NONNEGATIVE}`],
      // A CronJob's Job template is not defaulted: completions stay unset.
      [7, 'spec.jobTemplate.spec.completions', 'Required value: when completion mode is Indexed', 'spec'],
      [4, 'spec.successfulJobsHistoryLimit', `Invalid value: -1: ${NONNEGATIVE}`],
      [5, 'spec.failedJobsHistoryLimit', `Invalid value: -1: ${NONNEGATIVE}`]]],
  ['a CronJob: a time zone in the schedule, Sunday as 7, "local"', 'CronJob', ['schedule: "TZ=UTC 0 0 * * 7"', 'timeZone: local'],
    [[0, 'spec.schedule', 'Invalid value: "TZ=UTC 0 0 * * 7": end of range (7) above maximum (6): 7'],
      [0, 'spec.schedule', 'Invalid value: "TZ=UTC 0 0 * * 7": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
      [1, 'spec.timeZone', 'Invalid value: "local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
      [1, 'spec.timeZone', 'Invalid value: "local": unknown time zone local']]],
  ['a CronJob without a schedule; an empty time zone', 'CronJob', ['schedule: ""', 'timeZone: ""'],
    [[0, 'spec.schedule', 'Required value'], [1, 'spec.timeZone', 'Too short: must be at least 1 character']]],
];

t.test('a workload\'s own spec: refused as the API server refuses it, each error where it is written', async (t) => {
  for (const [name, kind, spec, want] of CASES) {
    const { code, report } = await check(workload(kind, spec));
    t.equal(code, 2, name);
    t.same(report.resources, [], `${name}: not judged`);
    const lines = workload(kind, spec).split('\n');
    const expected = want.map(([line, path, body, key]) => {
      const at = line < 0 ? FIRST_LINE - 1 : FIRST_LINE + line;
      // At the field's key, or at a list item (written without one).
      const text = lines[at - 1]!;
      const name = key ?? path.split('.').pop()!;
      const column = (text.includes(`${name}:`) ? text.indexOf(`${name}:`) : text.indexOf(name)) + 1;
      t.ok(column > 0, `${name}: ${path} is written on line ${at}`);
      return [at, column, `${kind} default/w: ${path}: ${body} (the API server refuses the object)`] as const;
    });
    // The report lists errors in the order of the manifest's lines.
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    t.same(report.errors.map((e) => [e.line, e.column, e.message]), expected, name);
    t.ok(report.errors.every((e) => e.hint.endsWith('; podsec did not evaluate this object')), `${name}: hints`);
  }
});

t.test('what defaulting makes valid, and what upstream takes, is taken', async (t) => {
  const fine: [string, string[]][] = [
    ['Deployment', ['strategy:', '  rollingUpdate: {maxUnavailable: 0}']],
    ['Deployment', ['strategy:', '  rollingUpdate: {maxSurge: 0, maxUnavailable: "007%"}', 'progressDeadlineSeconds: 30', 'minReadySeconds: 29']],
    ['Deployment', ['strategy:', '  rollingUpdate: {maxSurge: "200%"}', 'revisionHistoryLimit: 0', 'replicas: 0']],
    ['Deployment', ['strategy: {type: Recreate}']],
    ['StatefulSet', ['serviceName: ""', 'podManagementPolicy: Parallel', 'updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 3, maxUnavailable: "50%"}}',
      'persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}', 'ordinals: {start: 0}', 'revisionHistoryLimit: -1']],
    ['StatefulSet', ['updateStrategy: {type: OnDelete}']],
    ['StatefulSet', ['volumeClaimTemplates:', '- metadata: {name: data}', '  spec:', '    accessModes: [ReadWriteOncePod]', '    storageClassName: ""', '    resources: {requests: {storage: 0.0001}}',
      '    dataSource: {kind: PersistentVolumeClaim, name: src}', '    dataSourceRef: {kind: PersistentVolumeClaim, name: src}', '- metadata: {name: snap}',
      '  spec: {accessModes: [ReadOnlyMany, ReadWriteMany], volumeMode: Block, resources: {requests: {storage: 1.5}}, dataSourceRef: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: s, namespace: backups}}']],
    ['DaemonSet', ['updateStrategy:', '  rollingUpdate: {maxSurge: "10%", maxUnavailable: 0}']],
    ['DaemonSet', ['updateStrategy: {type: OnDelete, rollingUpdate: {maxSurge: 1}}']],
    ['Job', ['completionMode: Indexed', 'completions: 5', 'parallelism: 2', 'backoffLimitPerIndex: 1', 'maxFailedIndexes: 5', 'activeDeadlineSeconds: 0']],
    ['Job', ['completionMode: Indexed']],
    ['Job', ['completionMode: Indexed', 'completions: 10', 'successPolicy: {rules: [{succeededIndexes: "0,2-4,7", succeededCount: 3}, {succeededCount: 10}]}']],
    ['Job', ['podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}', 'podReplacementPolicy: Failed']],
    ['Job', ['managedBy: kueue.x-k8s.io/multikueue', 'completionMode: Indexed', 'completions: 4', 'backoffLimitPerIndex: 1', 'podFailurePolicy:', '  rules:',
      '  - {action: FailIndex, onExitCodes: {containerName: app, operator: NotIn, values: [0, 1, 2]}}', '  - {action: Ignore, onPodConditions: [{type: DisruptionTarget}]}']],
    ['CronJob', ['schedule: "*/15 9-17 ? jan-MAR mon-fri"', 'timeZone: Europe/Berlin', 'concurrencyPolicy: Forbid', 'startingDeadlineSeconds: 0']],
    ['CronJob', ['schedule: "@every 1h30m"', 'timeZone: Etc/GMT+5']],
    ['CronJob', ['schedule: "@midnight"', 'timeZone: UTC']],
    ['CronJob', ['schedule: "5,10,*/7 0 1-31/2 * 0-6"']],
  ];
  for (const [kind, spec] of fine) {
    const { code, report } = await check(workload(kind, spec));
    t.same(report.errors, [], `${kind}: ${spec.join('; ')}`);
    t.equal(report.resources.length, 1, `${kind} judged`);
    t.not(code, 2);
  }
  // An object read from a cluster is what its API server took.
  const stored = workload('Deployment', ['replicas: -1']).replace('metadata: {name: w}', 'metadata: {name: w, uid: 0c6c3f4e-1d1a-4b8f-9d2a-5a5f3f7b8c9d}');
  t.same((await check(stored)).report.errors, [], 'from a cluster');
});

t.test('the cron parser upstream vendors: its words for each error', async (t) => {
  const cases: [string, string | undefined][] = [
    ['0 3 * * *', undefined],
    ['0 3 * * * ', undefined],
    ['\u00850 3 * * *', undefined],
    ['0\uFEFF3 * * *', 'expected exactly 5 fields, found 4: [0\uFEFF3 * * *]'],
    ['   ', 'expected exactly 5 fields, found 0: []'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['-5 * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['5-3 * * * *', 'beginning of range (5) beyond end of range (3): 5-3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5/10 * * * *', undefined],
    ['0 0 * * sun,SAT', undefined],
    ['0 0 * * sunday', 'failed to parse int from sunday: strconv.Atoi: parsing "sunday": invalid syntax'],
    ['99999999999999999999 * * * *', 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'],
    ['@hourly', undefined],
    ['@hourly extra', 'unrecognized descriptor: @hourly extra'],
    ['@every 1x', 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['@every .', 'failed to parse duration @every .: time: invalid duration "."'],
    ['@every -1.5s', undefined],
    ['@every 3000000h', 'failed to parse duration @every 3000000h: time: invalid duration "3000000h"'],
    ['CRON_TZ=Europe/Paris 0 3 * * *', undefined],
    ['TZ=Mars/Base 0 3 * * *', 'provided bad location Mars/Base: unknown time zone Mars/Base'],
    ['TZ=UTC', 'invalid schedule format: runtime error: slice bounds out of range [:-1]'],
  ];
  for (const [schedule, want] of cases) t.equal(cronScheduleError(schedule), want, JSON.stringify(schedule));
  t.same(timeZoneErrors('America/New_York'), []);
  t.same(timeZoneErrors('Local'), ['timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'], 'Local is found, but refused');
  t.same(timeZoneErrors('america/new_york'), ['unknown time zone america/new_york'], 'the case matters');
  t.same(timeZoneErrors('Europe/Very_Long_City_Name'), ['unknown time zone Europe/Very_Long_City_Name'], 'a part of more than 14 characters');
  t.same(timeZoneErrors('-Foo'), ['unknown time zone -Foo']);
  t.same(timeZoneErrors('a//b'), ['unknown time zone a//b']);
  t.ok(knownTimeZone('US/Eastern'), 'an alias of the database');
  t.same(timeZoneErrors('Factory'), [], "the database's Factory zone, which Intl does not know");
  t.same(timeZoneErrors('factory'), ['unknown time zone factory']);
  t.notOk(knownTimeZone('Mars/Base'));
});
