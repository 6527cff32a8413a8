// `podsec check` refuses the volumes and their sources' fields, ports, environment variables and the
// downward API, envFrom, requests, limits and resource claims, volume mounts and devices, probes, lifecycle
// hooks, container restart policies and scheduling gates the API server's validation refuses (ValidateVolumes,
// validateContainerPorts, ValidateEnv, ValidateEnvFrom, ValidateContainerResourceRequirements,
// validatePodResourceClaims, ValidateVolumeMounts, ValidateVolumeDevices, validateProbe and validateHandler,
// validateInitContainers, validatePodHostNetworkDeps, validateSchedulingGates, validateHostUsers in
// pkg/apis/core/validation/validation.go), in a Pod and in a
// template; a StatefulSet's pod spec is validated as its pods are made (claim volumes, no hostname),
// and an ephemeral volume's claim template as a claim.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { check, DEPLOYMENT_HEAD, expectRefusals, indent, POD_HEAD, type RefusalCase } from './helpers/spec-refusals.js';
import { splitsAsHostPort } from '../admission/volume-sources.js';
import { volumeSourcesOfTheApi } from './helpers/api-types.js';

const IMAGE = '  image: i';
const QUALIFIED_NAME = "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// Each case: spec lines, then [line within the spec (0-based), column within it, path upstream prints from the spec, body].
const CASES: RefusalCase[] = [
  // Only the first source set (in upstream's order, emptyDir first) is validated; its path words are upstream's (cephFS, downwarAPI).
  ['volumes with more than one source; a hostPath without a path, with .., of an unknown type',
    ['volumes:', '- name: a', '  emptyDir: {}', '  hostPath: {path: /x}', '- name: b', '  secret: {secretName: s}', '  cephfs: {monitors: [m]}', '  downwardAPI: {}',
      '- name: c', '  hostPath: {path: ""}', '- name: d', '  hostPath: {path: /var/../etc, type: directory}', '- name: e', '  configMap: {name: x}', '  hostPath: {path: ""}',
      'containers: [{name: a, image: i}]'],
    [[3, 3, 'volumes[0].hostPath', 'Forbidden: may not specify more than 1 volume type'],
      [6, 3, 'volumes[1].cephFS', 'Forbidden: may not specify more than 1 volume type'],
      [7, 3, 'volumes[1].downwarAPI', 'Forbidden: may not specify more than 1 volume type'],
      [9, 14, 'volumes[2].hostPath.path', 'Required value'],
      [11, 14, 'volumes[3].hostPath.path', 'Invalid value: "/var/../etc": must not contain \'..\''],
      [11, 33, 'volumes[3].hostPath.type', 'Unsupported value: "directory": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'],
      [13, 3, 'volumes[4].configMap', 'Forbidden: may not specify more than 1 volume type'],
      [14, 14, 'volumes[4].hostPath.path', 'Required value']]],
  // A source's own fields are validated where it is the volume's first; a downwardAPI file's path is
  // printed without its index, a projected token's under the volume, a CSI secret's name as csi.name.
  ['the sources\' own fields: names, items, modes, paths, downward API files, an NFS path, a size, a CSI driver, projections',
    ['volumes:', '- name: s', '  secret: {defaultMode: 512, items: [{key: "", path: ""}, {key: k, path: /abs, mode: -1}, {key: k, path: ..}, {key: k, path: ..x}]}',
      '- name: c', '  configMap: {items: [{key: a, path: a/../b}]}', '- name: d', '  downwardAPI:', '    items:', '    - {path: labels, fieldRef: {fieldPath: status.podIP}}',
      '    - {path: x, fieldRef: {fieldPath: metadata.labels}, resourceFieldRef: {resource: limits.cpu}}', '    - {path: yy}', '    - {path: z, resourceFieldRef: {resource: limits.gpu}}',
      '    - {path: w, resourceFieldRef: {containerName: a, resource: limits.gpu}}', '    - {path: v, fieldRef: {fieldPath: spec.host}}', '- name: p', '  persistentVolumeClaim: {claimName: ""}',
      '- name: nn', '  nfs: {server: "", path: exports}', '- name: e', '  emptyDir: {sizeLimit: -1Gi}', '- name: csi', '  csi: {driver: "", nodePublishSecretRef: {name: Bad_Name}}',
      '- name: pr', '  projected:', '    sources:', '    - {secret: {}, configMap: {name: x}}', '    - serviceAccountToken: {expirationSeconds: 60, path: /tok}', '- name: eph', '  ephemeral: {}',
      'containers: [{name: a, image: i}]'],
    [[2, 3, 'volumes[0].secret.secretName', 'Required value'],
      [2, 12, 'volumes[0].secret.defaultMode', 'Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive'],
      [2, 39, 'volumes[0].secret.items[0].key', 'Required value'],
      [2, 48, 'volumes[0].secret.items[0].path', 'Required value'],
      [2, 68, 'volumes[0].secret.items[1].path', 'Invalid value: "/abs": must be a relative path'],
      [2, 80, 'volumes[0].secret.items[1].mode', 'Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive'],
      [2, 100, 'volumes[0].secret.items[2].path', 'Invalid value: "..": must not contain \'..\''],
      [2, 100, 'volumes[0].secret.items[2].path', 'Invalid value: "..": must not start with \'..\''],
      [2, 120, 'volumes[0].secret.items[3].path', 'Invalid value: "..x": must not start with \'..\''],
      [4, 3, 'volumes[1].configMap.name', 'Required value'],
      [4, 32, 'volumes[1].configMap.items[0].path', 'Invalid value: "a/../b": must not contain \'..\''],
      [8, 33, 'volumes[2].downwardAPI.fieldRef.fieldPath', 'Unsupported value: "status.podIP": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"'],
      [9, 5, 'volumes[2].downwardAPI', 'Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously'],
      [10, 5, 'volumes[2].downwardAPI', 'Required value: one of fieldRef and resourceFieldRef is required'],
      [11, 17, 'volumes[2].downwardAPI.resourceFieldRef.containerName', 'Required value'],
      [12, 54, 'volumes[2].downwardAPI.resourceFieldRef.resource', 'Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"'],
      [13, 28, 'volumes[2].downwardAPI.fieldRef.fieldPath', 'Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"'],
      [15, 27, 'volumes[3].persistentVolumeClaim.claimName', 'Required value'],
      [17, 9, 'volumes[4].nfs.server', 'Required value'],
      [17, 21, 'volumes[4].nfs.path', 'Invalid value: "exports": must be an absolute path'],
      [19, 14, 'volumes[5].emptyDir.sizeLimit', 'Forbidden: SizeLimit field must be a valid resource quantity'],
      [21, 9, 'volumes[6].csi.driver', 'Required value'],
      [21, 9, 'volumes[6].csi.driver', `Invalid value: "": ${SUBDOMAIN}`],
      [21, 44, 'volumes[6].csi.name', `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
      [25, 5, 'volumes[7].projected.sources[0]', 'Forbidden: may not specify more than 1 volume type per source'],
      [25, 8, 'volumes[7].projected.sources[0].secret.name', 'Required value'],
      [26, 29, 'volumes[7].projected.sources[1].serviceAccountToken.expirationSeconds', 'Invalid value: 60: may not specify a duration less than 10 minutes'],
      [26, 52, 'volumes[7].projected.path', 'Invalid value: "/tok": must be a relative path'],
      [28, 3, 'volumes[8].ephemeral.volumeClaimTemplate', 'Required value']]],
  // valueFrom's sources are validated first, then one of three errors; an envFrom item's name may end
  // in '-' (a prefix), and its "one of" errors are printed without its index.
  ['environment variables and envFrom: names, field and resource references, keys, the sources of a value',
    ['containers:', '- name: a', IMAGE, '  env:', '  - {value: x}', '  - {name: "A=B", value: x}', '  - {name: POD, valueFrom: {fieldRef: {fieldPath: status.phase}}}',
      '  - {name: IP, valueFrom: {fieldRef: {fieldPath: "spec.containers[0]"}}}', '  - {name: L, valueFrom: {fieldRef: {fieldPath: "status[\'x\']"}}}',
      '  - {name: NOPE, valueFrom: {fieldRef: {fieldPath: ""}}}', '  - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}',
      '  - {name: CM, valueFrom: {configMapKeyRef: {key: "bad key"}}}', '  - {name: S, valueFrom: {secretKeyRef: {name: Creds, key: ..}}}', '  - {name: E, valueFrom: {}}',
      '  - {name: V, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}',
      '  - {name: T, valueFrom: {secretKeyRef: {name: s, key: k}, configMapKeyRef: {name: c, key: k}, fieldRef: {fieldPath: metadata.name}}}',
      '  envFrom:', '  - {prefix: "A=", configMapRef: {name: ok-}}', '  - {configMapRef: {name: ""}}', '  - {secretRef: {name: Bad}}', '  - {}', '  - {configMapRef: {name: a}, secretRef: {name: b}}'],
    [[4, 3, 'containers[0].env[0].name', 'Required value'],
      [5, 6, 'containers[0].env[1].name', 'Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\''],
      [6, 40, 'containers[0].env[2].valueFrom.fieldRef.fieldPath', 'Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'],
      [7, 39, 'containers[0].env[3].valueFrom.fieldRef.fieldPath', 'Invalid value: "spec.containers[0]": error converting fieldPath: field label not supported: spec.containers[0]'],
      [8, 38, 'containers[0].env[4].valueFrom.fieldRef.fieldPath', 'Invalid value: "status[\'x\']": error converting fieldPath: field label does not support subscript: status[\'x\']'],
      [9, 41, 'containers[0].env[5].valueFrom.fieldRef.fieldPath', 'Required value'],
      [10, 48, 'containers[0].env[6].valueFrom.resourceFieldRef.resource', 'Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"'],
      [11, 28, 'containers[0].env[7].valueFrom.configMapKeyRef.name', `Invalid value: "": ${SUBDOMAIN}`],
      [11, 46, 'containers[0].env[7].valueFrom.configMapKeyRef.key', 'Invalid value: "bad key": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')'],
      [12, 42, 'containers[0].env[8].valueFrom.secretKeyRef.name', `Invalid value: "Creds": ${SUBDOMAIN}`],
      [12, 55, 'containers[0].env[8].valueFrom.secretKeyRef.key', 'Invalid value: "..": must not be \'..\''],
      [13, 15, 'containers[0].env[9].valueFrom', 'Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'],
      [14, 25, 'containers[0].env[10].valueFrom', 'Invalid value: "": may not be specified when `value` is not empty'],
      [15, 15, 'containers[0].env[11].valueFrom', 'Invalid value: "": may not have more than one field specified at a time'],
      [17, 6, 'containers[0].envFrom[0].prefix', 'Invalid value: "A=": a valid environment variable name must consist only of printable ASCII characters other than \'=\''],
      [18, 21, 'containers[0].envFrom[1].configMapRef.name', 'Required value'],
      [19, 18, 'containers[0].envFrom[2].secretRef.name', `Invalid value: "Bad": ${SUBDOMAIN}`],
      [20, 3, 'containers[0].envFrom', 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
      [21, 3, 'containers[0].envFrom', 'Invalid value: "": may not have more than one field specified at a time']]],
  // Compared and printed in Go's canonical form, after rounding up to milli (0.0001 is 1m).
  ['resources: a request above its limit, an extended resource\'s not equal to it or without one, a negative limit',
    ['containers:', '- name: a', IMAGE, '  resources:', '    limits: {cpu: "1", memory: 1Gi, example.com/gpu: 2}', '    requests: {cpu: 1500m, memory: 0.5Gi, example.com/gpu: 1}',
      '- name: b', IMAGE, '  resources:', '    limits: {cpu: -1, hugepages-2Mi: 4Mi}', '    requests: {cpu: 0.0001, example.com/fpga: 1, memory: 2e9}',
      '- name: c', IMAGE, '  resources: {limits: {memory: 1000M}, requests: {memory: 1.5G}}'],
    [[5, 16, 'containers[0].resources.requests', 'Invalid value: "1500m": must be less than or equal to cpu limit of 1'],
      [5, 43, 'containers[0].resources.requests', 'Invalid value: "1": must be equal to example.com/gpu limit of 2'],
      [9, 14, 'containers[1].resources.limits[cpu]', 'Invalid value: "-1": must be greater than or equal to 0'],
      [10, 16, 'containers[1].resources.requests', 'Invalid value: "1m": must be less than or equal to cpu limit of -1'],
      [10, 29, 'containers[1].resources.limits', 'Required value: Limit must be set for non overcommitable resources'],
      [13, 51, 'containers[2].resources.requests', 'Invalid value: "1500M": must be less than or equal to memory limit of 1G']]],
  // A name in both lists is refused in both; an extended resource counts whole units; hugepages whole pages.
  ['resources: names that are no resource, fractions of an integer resource, hugepages that are no whole pages',
    ['containers:', '- name: a', IMAGE, '  resources:', '    limits: {cpu: "1", memroy: 1Gi, example.com/gpu: 0.5, hugepages-2Mi: 3Mi}',
      '    requests: {cpu: "1", memroy: 1Gi, example.com/gpu: 0.5, hugepages-2Mi: 3Mi}',
      '- name: b', IMAGE, '  resources:', '    requests: {memory: 1Gi, a/b/c: "1", requests.example.com/foo: "1", kubernetes.io/thing: 1.5, pods: 1.5, hugepages-foo: "0"}'],
    [[4, 24, 'containers[0].resources.limits[memroy]', 'Invalid value: "memroy": must be a standard resource type or fully qualified'],
      [4, 24, 'containers[0].resources.limits[memroy]', 'Invalid value: "memroy": must be a standard resource for containers'],
      [4, 37, 'containers[0].resources.limits[example.com/gpu]', 'Invalid value: "500m": must be an integer'],
      [4, 59, 'containers[0].resources.limits[hugepages-2Mi]', 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi'],
      [5, 26, 'containers[0].resources.requests[memroy]', 'Invalid value: "memroy": must be a standard resource type or fully qualified'],
      [5, 26, 'containers[0].resources.requests[memroy]', 'Invalid value: "memroy": must be a standard resource for containers'],
      [5, 39, 'containers[0].resources.requests[example.com/gpu]', 'Invalid value: "500m": must be an integer'],
      [5, 61, 'containers[0].resources.requests[hugepages-2Mi]', 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi'],
      [9, 29, 'containers[1].resources.requests[a/b/c]', `Invalid value: "a/b/c": ${QUALIFIED_NAME}`],
      [9, 29, 'containers[1].resources.requests[a/b/c]', 'Invalid value: "a/b/c": doesn\'t follow extended resource name standard'],
      [9, 41, 'containers[1].resources.requests[requests.example.com/foo]', 'Invalid value: "requests.example.com/foo": doesn\'t follow extended resource name standard'],
      [9, 98, 'containers[1].resources.requests[pods]', 'Invalid value: "pods": must be a standard resource for containers'],
      [9, 98, 'containers[1].resources.requests[pods]', 'Invalid value: "1500m": must be an integer'],
      [9, 109, 'containers[1].resources.requests[hugepages-foo]', 'Invalid value: "0": 0 is not positive integer multiple of hugepages-foo'],
      // Three requests without the limit a resource the node does not overcommit needs: upstream prints the line once.
      [9, 29, 'containers[1].resources.limits', 'Required value: Limit must be set for non overcommitable resources']]],
  // An ephemeral volume's claim template is validated as a claim (claim-spec-refusals.json), and its
  // metadata may hold only labels and annotations.
  ['an ephemeral volume\'s claim template: its metadata, access modes, storage, class, selector',
    ['volumes:', '- name: scratch', '  ephemeral:', '    volumeClaimTemplate:', '      metadata: {name: scratch, labels: {app: a}}', '      spec:', '        storageClassName: Fast', '        selector: {matchLabels: {"bad key!": x}}', '- name: fine', '  ephemeral: {volumeClaimTemplate: {metadata: {labels: {app: a}}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}', 'containers: [{name: a, image: i}]'],
    [[4, 18, 'volumes[0].ephemeral.volumeClaimTemplate.metadata.name', 'Forbidden: cannot be set'],
      [5, 7, 'volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes', 'Required value: at least 1 access mode is required'],
      [5, 7, 'volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]', 'Required value'],
      [6, 9, 'volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName', `Invalid value: "Fast": ${SUBDOMAIN}`],
      [7, 34, 'volumes[0].ephemeral.volumeClaimTemplate.spec.selector.matchLabels', `Invalid value: "bad key!": ${NAME_PART}`]]],
  // The template is validated where ephemeral is the source the volume is validated as: the first
  // it sets in upstream's order, which puts image after it (a null source is unset).
  ['an ephemeral volume with a second source: its template validated where ephemeral comes first',
    ['volumes:', '- name: a', '  emptyDir: null', '  ephemeral: {volumeClaimTemplate: {spec: {storageClassName: Fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}', '  image: {reference: r}',
      '- name: b', '  emptyDir: {}', '  ephemeral: {volumeClaimTemplate: {spec: {storageClassName: Fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}', 'containers: [{name: a, image: i}]'],
    [[3, 44, 'volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName', `Invalid value: "Fast": ${SUBDOMAIN}`],
      [4, 3, 'volumes[0].image', 'Forbidden: may not specify more than 1 volume type'],
      [7, 3, 'volumes[1].ephemeral', 'Forbidden: may not specify more than 1 volume type']]],
  ['hugepages without cpu or memory',
    ['containers:', '- name: a', IMAGE, '  resources: {limits: {hugepages-2Mi: 4Mi}}', '- name: b', IMAGE, '  resources: {limits: {hugepages-2Mi: 4Mi, memory: 1Gi}}',
      '- name: c', IMAGE, '  resources: {requests: {hugepages-1Gi: 1Gi}}'],
    [[3, 24, 'containers[0].resources', 'Forbidden: HugePages require cpu or memory'],
      [9, 26, 'containers[2].resources.limits', 'Required value: Limit must be set for non overcommitable resources'],
      [9, 26, 'containers[2].resources', 'Forbidden: HugePages require cpu or memory']]],
  // Tolerations' value errors are printed at their operator, nodeSelector's without the key, as upstream prints them.
  ['the pod\'s DNS policy and config, tolerations, node name, host and subdomain names, node selector, readiness gates; pull and termination-message policies',
    ['dnsPolicy: None', 'dnsConfig: {options: [{value: "2"}]}', 'tolerations:', '- {operator: Equal}', '- {key: k, tolerationSeconds: 5, effect: NoSchedule}', '- {key: k, value: "bad value"}',
      '- {key: k, operator: Exists, value: x}', '- {key: "k/", operator: exists}', '- {key: k, effect: noSchedule}', '- {operator: Exists}', 'nodeName: Node_1', 'hostname: web.example',
      'subdomain: Svc', 'nodeSelector: {disktype: ssd, zone: "bad value"}', 'readinessGates: [{conditionType: ""}, {conditionType: example.com/ready}]',
      'containers: [{name: a, image: i, imagePullPolicy: always, terminationMessagePolicy: file}]'],
    [[1, 1, 'dnsConfig.nameservers', 'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None'],
      [3, 4, 'tolerations[0].operator', 'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
      [4, 34, 'tolerations[1].effect', 'Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set'],
      [5, 1, 'tolerations[2].operator', 'Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
      [6, 12, 'tolerations[3].operator', 'Invalid value: "x": value must be empty when `operator` is \'Exists\''],
      [7, 4, 'tolerations[4].key', 'Invalid value: "k/": name part must be non-empty'],
      [7, 4, 'tolerations[4].key', 'Invalid value: "k/": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
      [7, 15, 'tolerations[4].operator', 'Unsupported value: "exists": supported values: "Equal", "Exists"'],
      [8, 12, 'tolerations[5].effect', 'Unsupported value: "noSchedule": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
      [10, 1, 'nodeName', `Invalid value: "Node_1": ${SUBDOMAIN}`],
      [11, 1, 'hostname', 'Invalid value: "web.example": must not contain dots'],
      [12, 1, 'subdomain', 'Invalid value: "Svc": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
      [13, 31, 'nodeSelector', 'Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
      [14, 19, 'readinessGates[0].conditionType', 'Invalid value: "": name part must be non-empty'],
      [14, 19, 'readinessGates[0].conditionType', 'Invalid value: "": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
      [15, 34, 'containers[0].imagePullPolicy', 'Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never"'],
      [15, 59, 'containers[0].terminationMessagePolicy', 'Unsupported value: "file": supported values: "File", "FallbackToLogsOnError"']]],
  ['an unknown DNS policy', ['dnsPolicy: clusterFirst', 'containers: [{name: a, image: i}]'],
    [[0, 1, 'dnsPolicy', 'Unsupported value: "clusterFirst": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']]],
  // Nameservers as Go's old parser reads them (010.1.1.1 is one; a zone is not); a search domain
  // printed without its trailing dot, "." skipped.
  ['DNS nameservers and search domains, host aliases, topology spread constraints',
    ['dnsConfig: {nameservers: [10.0.0.1, 010.1.1.1, dns.local, "fe80::1%eth0", "2001:db8::1"], searches: [ns1.svc.cluster.local., Bad.Domain, ., _srv.example.com]}',
      'hostAliases: [{hostnames: [Foo_bar]}, {ip: 10.1.2.3, hostnames: [db.local]}]', 'topologySpreadConstraints:',
      '- {maxSkew: 0, topologyKey: "", whenUnsatisfiable: doNotSchedule, minDomains: 0}',
      '- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2, nodeAffinityPolicy: honor, nodeTaintsPolicy: ""}', 'containers: [{name: a, image: i}]'],
    [[0, 48, 'dnsConfig.nameservers[2]', 'Invalid value: "dns.local": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
      [0, 59, 'dnsConfig.nameservers', 'Invalid value: ["10.0.0.1","010.1.1.1","dns.local","fe80::1%eth0","2001:db8::1"]: must not have more than 3 nameservers'],
      [0, 59, 'dnsConfig.nameservers[3]', 'Invalid value: "fe80::1%eth0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
      [0, 126, 'dnsConfig.searches[1]', 'Invalid value: "Bad.Domain": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'_\', \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*\')'],
      [1, 15, 'hostAliases[0].ip', 'Invalid value: "": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
      [1, 28, 'hostAliases[0].hostnames[0]', `Invalid value: "Foo_bar": ${SUBDOMAIN}`],
      [3, 4, 'topologySpreadConstraints[0].maxSkew', 'Invalid value: 0: must be greater than zero'],
      [3, 16, 'topologySpreadConstraints[0].topologyKey', 'Required value: can not be empty'],
      [3, 33, 'topologySpreadConstraints[0].whenUnsatisfiable', 'Unsupported value: "doNotSchedule": supported values: "DoNotSchedule", "ScheduleAnyway"'],
      [3, 67, 'topologySpreadConstraints[0].minDomains', 'Invalid value: 0: must be greater than zero'],
      [3, 67, 'topologySpreadConstraints[0].minDomains', 'Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not doNotSchedule'],
      [4, 70, 'topologySpreadConstraints[1].minDomains', 'Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'],
      [4, 85, 'topologySpreadConstraints[1].nodeAffinityPolicy', 'Unsupported value: "honor": supported values: "Honor", "Ignore"'],
      [4, 112, 'topologySpreadConstraints[1].nodeTaintsPolicy', 'Unsupported value: "": supported values: "Honor", "Ignore"']]],
  // Preferred node terms' values are not checked; a selector's matchLabels and a term's namespaces are printed as upstream prints them.
  ['affinity: node selector terms, weights, pod affinity terms, their selectors, namespaces, label keys, topology keys',
    ['affinity:', '  nodeAffinity:', '    requiredDuringSchedulingIgnoredDuringExecution:', '      nodeSelectorTerms:', '      - matchExpressions: [{key: zone, operator: in, values: [a]}, {key: disk, operator: In}, {key: gpu, operator: Exists, values: [x]}, {key: mem, operator: Gt, values: ["1", "2"]}, {key: "bad key", operator: In, values: ["bad value"]}]', '        matchFields: [{key: metadata.name, operator: In, values: [a, b]}, {key: spec.nodeName, operator: Exists}]', '    preferredDuringSchedulingIgnoredDuringExecution: [{weight: 0, preference: {matchExpressions: [{key: zone, operator: In, values: ["bad value"]}]}}]', '  podAntiAffinity:', '    requiredDuringSchedulingIgnoredDuringExecution:', '    - labelSelector: {matchLabels: {app: "bad value"}, matchExpressions: [{key: app, operator: Gt, values: ["1"]}]}', '      namespaces: [Team_A]', '      matchLabelKeys: [pod-template-hash]', '      mismatchLabelKeys: [pod-template-hash]', '    - {topologyKey: "", matchLabelKeys: [app]}', '    preferredDuringSchedulingIgnoredDuringExecution: [{weight: 101, podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]', 'containers: [{name: a, image: i}]'],
    [[4, 40, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator', 'Invalid value: "in": not a valid selector operator'],
      [4, 68, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values', 'Required value: must be specified when `operator` is \'In\' or \'NotIn\''],
      [4, 124, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values', 'Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''],
      [4, 163, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].values', 'Required value: must be specified single value when `operator` is \'Lt\' or \'Gt\''],
      [4, 185, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[4].key', 'Invalid value: "bad key": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
      [4, 224, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[4].values[0]', 'Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
      [5, 58, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values', 'Required value: must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'],
      [5, 76, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[1].key', 'Invalid value: "spec.nodeName": not a valid field selector key'],
      [5, 96, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[1].operator', 'Invalid value: "Exists": not a valid selector operator'],
      [6, 56, 'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'Invalid value: 0: must be in the range 1-100'],
      [9, 5, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey', 'Required value: can not be empty'],
      [9, 5, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey', 'Invalid value: "": name part must be non-empty'],
      [9, 5, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey', 'Invalid value: "": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
      [9, 37, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels', 'Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
      [9, 86, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator', 'Invalid value: "Gt": not a valid selector operator'],
      [10, 20, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespace', 'Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
      [11, 24, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys[0]', 'Invalid value: "pod-template-hash": exists in both matchLabelKeys and mismatchLabelKeys'],
      [13, 8, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey', 'Required value: can not be empty'],
      [13, 8, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey', 'Invalid value: "": name part must be non-empty'],
      [13, 8, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey', 'Invalid value: "": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
      [13, 25, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].matchLabelKeys', 'Forbidden: must not be specified when labelSelector is not set'],
      [14, 56, 'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'Invalid value: 101: must be in the range 1-100']]],
  // Upstream reports the first of a repeated pair, at a child named "{topologyKey, whenUnsatisfiable}".
  ['topology spread constraints given twice, their selectors and matchLabelKeys',
    ['topologySpreadConstraints:', '- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: "a b"}}}',
      '- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [x]}',
      '- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: app, operator: Exists, values: [v]}]}}',
      'containers: [{name: a, image: i}]'],
    [[1, 1, 'topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}', 'Duplicate value: "{zone, DoNotSchedule}"'],
      [1, 99, 'topologySpreadConstraints[0].labelSelector.matchLabels', `Invalid value: "a b": ${LABEL_VALUE}`],
      [2, 1, 'topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}', 'Duplicate value: "{zone, DoNotSchedule}"'],
      [2, 69, 'topologySpreadConstraints[1].matchLabelKeys', 'Forbidden: must not be specified when labelSelector is not set'],
      [3, 133, 'topologySpreadConstraints[2].labelSelector.matchExpressions[0].values', "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"]]],
  // A duplicate is told among valid names only; an absent containerPort is 0 to the API server.
  ['ports: names no IANA service name, a name given twice, port numbers out of range or missing, a protocol in lower case',
    ['containers:', '- name: a', IMAGE, '  ports:', '  - {name: http-metrics-port, containerPort: 80}', '  - {name: Web_1, containerPort: 81}', '  - {name: "8080", containerPort: 82}',
      '  - {name: -a--b, containerPort: 83}', '  - {name: web, containerPort: 84}', '  - {name: web, containerPort: 70000, hostPort: -1}', '  - {name: Web_1}',
      '  - {containerPort: 85, protocol: tcp, hostPort: 0}'],
    [[4, 6, 'containers[0].ports[0].name', 'Invalid value: "http-metrics-port": must be no more than 15 characters'],
      [5, 6, 'containers[0].ports[1].name', 'Invalid value: "Web_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
      [6, 6, 'containers[0].ports[2].name', 'Invalid value: "8080": must contain at least one letter (a-z)'],
      [7, 6, 'containers[0].ports[3].name', 'Invalid value: "-a--b": must not contain consecutive hyphens'],
      [7, 6, 'containers[0].ports[3].name', 'Invalid value: "-a--b": must not begin or end with a hyphen'],
      [9, 6, 'containers[0].ports[5].name', 'Duplicate value: "web"'],
      [9, 17, 'containers[0].ports[5].containerPort', 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
      [9, 39, 'containers[0].ports[5].hostPort', 'Invalid value: -1: must be between 1 and 65535, inclusive'],
      [10, 3, 'containers[0].ports[6].containerPort', 'Required value'],
      [10, 6, 'containers[0].ports[6].name', 'Invalid value: "Web_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
      [11, 25, 'containers[0].ports[7].protocol', 'Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"']]],
  // Upstream prints the paths of subPath, subPathExpr, mountPropagation and recursiveReadOnly without the mount's index.
  ['volume mounts: a volume not found (the case matters), no name, no path, a path taken, sub-paths, propagation, recursive read-only',
    ['volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: c}}]', 'containers:', '- name: a', IMAGE, '  volumeMounts:', '  - {name: Data, mountPath: /data}',
      '  - {mountPath: /x}', '  - {name: cfg}', '  - {name: data, mountPath: /data, subPath: /abs}', '  - {name: data, mountPath: /d2, subPath: ../up, subPathExpr: $(POD)/x}',
      '  - {name: data, mountPath: /d3, subPathExpr: /$(POD), mountPropagation: bidirectional}',
      '  - {name: data, mountPath: /d4, mountPropagation: Bidirectional, recursiveReadOnly: Enabled}',
      '  - {name: cfg, mountPath: /d5, readOnly: true, recursiveReadOnly: enabled}', 'initContainers:', '- name: b', IMAGE, '  securityContext: {privileged: true}',
      '  volumeMounts: [{name: data, mountPath: /d, mountPropagation: Bidirectional}, {name: gone, mountPath: /g}]'],
    [[5, 6, 'containers[0].volumeMounts[0].name', 'Not found: "Data"'],
      [6, 3, 'containers[0].volumeMounts[1].name', 'Required value'],
      [6, 3, 'containers[0].volumeMounts[1].name', 'Not found: ""'],
      [7, 3, 'containers[0].volumeMounts[2].mountPath', 'Required value'],
      [8, 18, 'containers[0].volumeMounts[3].mountPath', 'Invalid value: "/data": must be unique'],
      [8, 36, 'containers[0].volumeMounts.subPath', 'Invalid value: "/abs": must be a relative path'],
      [9, 34, 'containers[0].volumeMounts.subPath', 'Invalid value: "../up": must not contain \'..\''],
      [9, 50, 'containers[0].volumeMounts[4].subPathExpr', 'Invalid value: "$(POD)/x": subPathExpr and subPath are mutually exclusive'],
      [10, 34, 'containers[0].volumeMounts.subPathExpr', 'Invalid value: "/$(POD)": must be a relative path'],
      [10, 56, 'containers[0].volumeMounts.mountPropagation', 'Unsupported value: "bidirectional": supported values: "Bidirectional", "HostToContainer", "None"'],
      [11, 34, 'containers[0].volumeMounts.mountPropagation', 'Forbidden: Bidirectional mount propagation is available only to privileged containers'],
      [11, 67, 'containers[0].volumeMounts.recursiveReadOnly', 'Forbidden: may only be specified when readOnly is true'],
      [11, 67, 'containers[0].volumeMounts.recursiveReadOnly', 'Forbidden: may only be specified when mountPropagation is None or not specified'],
      [12, 49, 'containers[0].volumeMounts.recursiveReadOnly', 'Unsupported value: "enabled": supported values: "Disabled", "Enabled", "IfPossible"'],
      [17, 81, 'initContainers[0].volumeMounts[1].name', 'Not found: "gone"']]],
  // Only the first handler set (exec, httpGet, tcpSocket, grpc) is validated; an absent port is 0; a
  // successThreshold of 0 is defaulted to 1.
  ['probes and lifecycle hooks: no handler, two, an empty command, ports out of range or no names, an unknown scheme, thresholds and grace periods',
    ['containers:', '- name: a', IMAGE, '  livenessProbe: {initialDelaySeconds: 3}', '  readinessProbe: {exec: {command: []}, httpGet: {port: 80}, terminationGracePeriodSeconds: 0}',
      '  startupProbe: {httpGet: {path: /}, successThreshold: 2, periodSeconds: -1}', '  lifecycle: {preStop: {}, postStart: {httpGet: {port: "8080", scheme: http}}}',
      '- name: b', IMAGE, '  livenessProbe: {tcpSocket: {port: 0}, successThreshold: 0, failureThreshold: -3}', '  readinessProbe: {grpc: {port: 70000}}',
      '  startupProbe: {tcpSocket: {port: web_port}}'],
    [[3, 3, 'containers[0].livenessProbe', 'Required value: must specify a handler type'],
      [4, 27, 'containers[0].readinessProbe.exec.command', 'Required value'],
      [4, 41, 'containers[0].readinessProbe.httpGet', 'Forbidden: may not specify more than 1 handler type'],
      [4, 62, 'containers[0].readinessProbe.terminationGracePeriodSeconds', 'Invalid value: 0: must be greater than 0'],
      [4, 62, 'containers[0].readinessProbe.terminationGracePeriodSeconds', 'Invalid value: 0: must not be set for readinessProbes'],
      [5, 18, 'containers[0].startupProbe.httpGet.port', 'Invalid value: 0: must be between 1 and 65535, inclusive'],
      [5, 38, 'containers[0].startupProbe.successThreshold', 'Invalid value: 2: must be 1'],
      [5, 59, 'containers[0].startupProbe.periodSeconds', 'Invalid value: -1: must be greater than or equal to 0'],
      [6, 15, 'containers[0].lifecycle.preStop', 'Required value: must specify a handler type'],
      [6, 50, 'containers[0].lifecycle.postStart.httpGet.port', 'Invalid value: "8080": must contain at least one letter (a-z)'],
      [6, 64, 'containers[0].lifecycle.postStart.httpGet.scheme', 'Unsupported value: "http": supported values: "HTTP", "HTTPS"'],
      [9, 31, 'containers[1].livenessProbe.tcpSocket.port', 'Invalid value: 0: must be between 1 and 65535, inclusive'],
      [9, 62, 'containers[1].livenessProbe.failureThreshold', 'Invalid value: -3: must be greater than or equal to 0'],
      [10, 27, 'containers[1].readinessProbe.grpc.port', 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
      [11, 30, 'containers[1].startupProbe.tcpSocket.port', 'Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']]],
  // A projected volume's sources' items are validated as a volume's; a downward API file's path is printed
  // without its index; a path given twice across the sources is refused at the volume (the later one, by its
  // source's name), a token's path not counted; a volume whose first source is another is not looked into.
  ['projected volumes: the items of their sources, a path given twice',
    ['containers: [{name: a, image: i}]', 'volumes:', '- name: pr', '  projected:', '    sources:', '    - configMap: {name: cm1, items: [{key: "", path: ../x}, {key: k, path: ca.crt, mode: 1000}]}', '    - secret: {name: s1, items: [{key: b, path: ca.crt}, {key: c, path: /abs}]}', '    - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: status.podIP}}, {path: x}, {path: ..y, resourceFieldRef: {resource: limits.cpu}}, {path: labels, fieldRef: {fieldPath: metadata.labels}}]}', '    - serviceAccountToken: {path: ca.crt}', '- name: notfirst', '  emptyDir: {}', '  projected: {sources: [{configMap: {name: cm, items: [{key: "", path: ../x}]}}]}'],
    [[5, 39, 'volumes[0].projected.sources[0].configMap.items[0].key', 'Required value'],
      [5, 48, 'volumes[0].projected.sources[0].configMap.items[0].path', 'Invalid value: "../x": must not contain \'..\''],
      [5, 84, 'volumes[0].projected.sources[0].configMap.items[1].mode', 'Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive'],
      [6, 43, 'volumes[0].projected', 'Invalid value: "s1": conflicting duplicate paths'],
      [6, 67, 'volumes[0].projected.sources[1].secret.items[1].path', 'Invalid value: "/abs": must be a relative path'],
      [7, 55, 'volumes[0].projected.sources[2].downwardAPI.fieldRef.fieldPath', 'Unsupported value: "status.podIP": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"'],
      [7, 82, 'volumes[0].projected.sources[2].downwardAPI', 'Required value: one of fieldRef and resourceFieldRef is required'],
      [7, 94, 'volumes[0].projected.sources[2].downwardAPI.path', 'Invalid value: "..y": must not start with \'..\''],
      [7, 105, 'volumes[0].projected.sources[2].downwardAPI.resourceFieldRef.containerName', 'Required value'],
      [7, 149, 'volumes[0].projected', 'Invalid value: "labels": conflicting duplicate paths'],
      [11, 3, 'volumes[1].projected', 'Forbidden: may not specify more than 1 volume type']]],
  // The downward API reads a pod's fields of version v1 only.
  ['field references of another version than v1',
    ['containers:', '- name: a', '  image: i', '  env:', '  - {name: A, valueFrom: {fieldRef: {apiVersion: v2, fieldPath: metadata.name}}}', '  - {name: B, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}', 'volumes:', '- name: d', '  downwardAPI: {items: [{path: a, fieldRef: {apiVersion: apps/v1, fieldPath: metadata.labels}}]}'],
    [[4, 54, 'containers[0].env[0].valueFrom.fieldRef.fieldPath', 'Invalid value: "metadata.name": error converting fieldPath: unsupported pod version: v2'],
      [8, 67, 'volumes[0].downwardAPI.fieldRef.fieldPath', 'Invalid value: "metadata.labels": error converting fieldPath: unsupported pod version: apps/v1']]],
  // A label's or an annotation's key (lower-cased) is a qualified name, printed at the fieldRef; a divisor is
  // compared in its canonical form (1000m is 1, 1024 is no 1Ki), 0 taken, and printed as its resource's name; a file's
  // divisor is checked even without a container name.
  ['downward API references: the keys of labels and annotations, divisors',
    ['containers:',
      '- name: a',
      '  image: i',
      '  env:',
      '  - {name: A, valueFrom: {fieldRef: {fieldPath: "metadata.labels[\'bad key\']"}}}',
      '  - {name: B, valueFrom: {fieldRef: {fieldPath: "metadata.annotations[\'Bad Key\']"}}}',
      '  - {name: C, valueFrom: {fieldRef: {fieldPath: "metadata.annotations[\'Example.COM/App\']"}}}',
      '  - {name: D, valueFrom: {fieldRef: {fieldPath: "metadata.labels[\'\']"}}}',
      '  - {name: E, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 2}}}',
      '  - {name: F, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1m}}}',
      '  - {name: G, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}',
      '  - {name: H, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1000m}}}',
      '  - {name: I, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: "1024"}}}',
      '  - {name: J, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: "0"}}}',
      'volumes:',
      '- name: d',
      '  downwardAPI:',
      '    items:',
      '    - {path: a, resourceFieldRef: {resource: limits.cpu, divisor: 5}}',
      '    - {path: b, fieldRef: {fieldPath: "metadata.labels[\'a/b/c\']"}}',
      '    - {path: c, resourceFieldRef: {containerName: a, resource: limits.hugepages-2Mi, divisor: 1m}}',
      '- name: p',
      '  projected: {sources: [{downwardAPI: {items: [{path: x, resourceFieldRef: {containerName: a, resource: requests.ephemeral-storage, divisor: 3}}]}}]}'],
    [[4, 38, 'containers[0].env[0].valueFrom.fieldRef', `Invalid value: "bad key": ${NAME_PART}`],
      [5, 38, 'containers[0].env[1].valueFrom.fieldRef', `Invalid value: "bad key": ${NAME_PART}`],
      [7, 38, 'containers[0].env[3].valueFrom.fieldRef', 'Invalid value: "": name part must be non-empty'],
      [7, 38, 'containers[0].env[3].valueFrom.fieldRef', `Invalid value: "": ${NAME_PART}`],
      [8, 68, 'containers[0].env[4].valueFrom.resourceFieldRef.divisor', 'Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource'],
      [9, 73, 'containers[0].env[5].valueFrom.resourceFieldRef.divisor', 'Invalid value: "requests.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource'],
      [12, 71, 'containers[0].env[8].valueFrom.resourceFieldRef.divisor', 'Invalid value: "limits.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource'],
      [18, 17, 'volumes[0].downwardAPI.resourceFieldRef.containerName', 'Required value'],
      [18, 58, 'volumes[0].downwardAPI.resourceFieldRef.divisor', 'Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource'],
      [19, 28, 'volumes[0].downwardAPI.fieldRef', `Invalid value: "a/b/c": ${QUALIFIED_NAME}`],
      [20, 86, 'volumes[0].downwardAPI.resourceFieldRef.divisor', 'Invalid value: "limits.hugepages-2Mi": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource'],
      [22, 133, 'volumes[1].projected.sources[0].downwardAPI.resourceFieldRef.divisor', 'Invalid value: "requests.ephemeral-storage": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource']]],
  // A block device is a claimed volume (persistentVolumeClaim, ephemeral), named and placed once, at a path
  // without '..' (relative paths are taken); a volume is a container's mount or its device, and a path holds one
  // of them (the mounts as a Go map holds them: the last mount of a volume). An empty path repeated is not unique.
  ['volume devices: the volume they name, their paths, beside the mounts',
    ['volumes:',
      '- {name: data, persistentVolumeClaim: {claimName: data-pvc}}',
      '- {name: data2, ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}}',
      '- {name: cfg, configMap: {name: c}}',
      'containers:',
      '- name: a',
      '  image: i',
      '  volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /dev/xvdc}]',
      '  volumeDevices: [{name: cfg, devicePath: /dev/xvda}, {name: missing, devicePath: /dev/xvdb}, {devicePath: /dev/xvdd}, {name: data}, {name: data2}, {name: data, devicePath: /data}, {name: data2, devicePath: /dev/../xvde}, {name: data2, devicePath: /dev/xvdc}]',
      '- name: b',
      '  image: i',
      '  volumeDevices: [{name: data, devicePath: dev/xvda}, {name: data2, devicePath: /dev/x..y}]',
      'initContainers:',
      '- name: c',
      '  image: i',
      '  volumeMounts: [{name: data, mountPath: /a}, {name: data, mountPath: /b}]',
      '  volumeDevices: [{name: data2, devicePath: /a}]'],
    [[7, 19, 'containers[0].volumeMounts[0].name', 'Invalid value: "data": must not already exist in volumeDevices'],
      [7, 31, 'containers[0].volumeMounts[0].mountPath', 'Invalid value: "/data": must not already exist as a path in volumeDevices'],
      [7, 51, 'containers[0].volumeMounts[1].name', 'Invalid value: "cfg": must not already exist in volumeDevices'],
      [7, 62, 'containers[0].volumeMounts[1].mountPath', 'Invalid value: "/dev/xvdc": must not already exist as a path in volumeDevices'],
      [8, 20, 'containers[0].volumeDevices[0].name', 'Invalid value: "cfg": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'],
      [8, 20, 'containers[0].volumeDevices[0].name', 'Invalid value: "cfg": must not already exist in volumeMounts'],
      [8, 56, 'containers[0].volumeDevices[1].name', 'Not found: "missing"'],
      [8, 95, 'containers[0].volumeDevices[2].name', 'Required value'],
      [8, 95, 'containers[0].volumeDevices[2].name', 'Not found: ""'],
      [8, 120, 'containers[0].volumeDevices[3].devicePath', 'Required value'],
      [8, 121, 'containers[0].volumeDevices[3].name', 'Invalid value: "data": must not already exist in volumeMounts'],
      [8, 134, 'containers[0].volumeDevices[4].devicePath', 'Required value'],
      [8, 134, 'containers[0].volumeDevices[4].devicePath', 'Invalid value: "": must be unique'],
      [8, 150, 'containers[0].volumeDevices[5].name', 'Invalid value: "data": must be unique'],
      [8, 150, 'containers[0].volumeDevices[5].name', 'Invalid value: "data": must not already exist in volumeMounts'],
      [8, 162, 'containers[0].volumeDevices[5].devicePath', 'Invalid value: "/data": must not already exist as a path in volumeMounts'],
      [8, 183, 'containers[0].volumeDevices[6].name', 'Invalid value: "data2": must be unique'],
      [8, 196, 'containers[0].volumeDevices[6].devicePath', 'Invalid value: "/dev/../xvde": can not contain backsteps (\'..\')'],
      [8, 224, 'containers[0].volumeDevices[7].name', 'Invalid value: "data2": must be unique'],
      [8, 237, 'containers[0].volumeDevices[7].devicePath', 'Invalid value: "/dev/xvdc": must not already exist as a path in volumeMounts'],
      [15, 31, 'initContainers[0].volumeMounts[0].mountPath', 'Invalid value: "/a": must not already exist as a path in volumeDevices']]],
  // A pod in a user namespace shares none of the node's namespaces and takes no block device (Kubernetes 1.34's words).
  ['hostUsers: false with a host namespace or volume devices',
    ['hostUsers: false',
      'hostPID: true',
      'volumes: [{name: data, persistentVolumeClaim: {claimName: c}}]',
      'containers:',
      '- {name: a, image: i, volumeDevices: [{name: data, devicePath: /dev/xvda}]}',
      '- {name: b, image: i}',
      'initContainers:',
      '- {name: c, image: i, volumeDevices: [{name: data, devicePath: /dev/xvdb}]}'],
    [[1, 1, 'HostPID', 'Forbidden: when `hostUsers` is false'],
      [4, 23, 'containers[0].volumeDevices', 'Forbidden: when `hostUsers` is false'],
      [7, 23, 'initContainers[0].volumeDevices', 'Forbidden: when `hostUsers` is false']]],
  // A pod's claims (dynamic resource allocation): a DNS label named once, from one place (the claim printed
  // as its internal struct); a container's: one of the pod's (listed sorted, invalid names too), once as a whole or
  // by request.
  ['resource claims: the pod\'s, and those its containers name',
    ['resourceClaims:',
      '- {resourceClaimName: a}',
      '- {name: GPU, resourceClaimName: a}',
      '- {name: gpu, resourceClaimName: b}',
      '- {name: gpu, resourceClaimName: c}',
      '- {name: nic}',
      '- {name: tpu, resourceClaimName: a, resourceClaimTemplateName: My_Tmpl}',
      'containers:',
      '- name: a',
      '  image: i',
      '  resources:',
      '    claims: [{name: ""}, {name: gpu}, {name: gpu}, {name: nic, request: a}, {name: nic, request: a}, {name: nic}, {name: tpu, request: Req_1}, {name: other}]',
      '- name: b',
      '  image: i',
      '  resources: {claims: [{name: gpu, request: x}, {name: gpu}]}'],
    [[1, 1, 'resourceClaims[0].name', 'Required value'],
      [2, 4, 'resourceClaims[1].name', 'Invalid value: "GPU": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
      [4, 4, 'resourceClaims[3].name', 'Duplicate value: "gpu"'],
      [5, 1, 'resourceClaims[4]', 'Invalid value: {"Name":"nic","ResourceClaimName":null,"ResourceClaimTemplateName":null}: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'],
      [6, 1, 'resourceClaims[5]', 'Invalid value: {"Name":"tpu","ResourceClaimName":"a","ResourceClaimTemplateName":"My_Tmpl"}: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'],
      [6, 37, 'resourceClaims[5].resourceClaimTemplateName', 'Invalid value: "My_Tmpl": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
      [11, 14, 'containers[0].resources.claims[0]', 'Required value'],
      [11, 39, 'containers[0].resources.claims[2]', 'Duplicate value: "gpu"'],
      [11, 77, 'containers[0].resources.claims[4]', 'Duplicate value: "nic/a"'],
      [11, 102, 'containers[0].resources.claims[5]', 'Duplicate value: "nic"'],
      [11, 127, 'containers[0].resources.claims[6].request', 'Invalid value: "Req_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
      [11, 144, 'containers[0].resources.claims[7]', 'Not found: "other": must be one of the names in pod.spec.resourceClaims: GPU, gpu, nic, tpu'],
      [14, 49, 'containers[1].resources.claims[1]', 'Duplicate value: "gpu"']]],
  ['a container\'s claim in a pod without claims',
    ['containers:',
      '- {name: a, image: i, resources: {claims: [{name: gpu}]}}'],
    [[1, 44, 'containers[0].resources.claims[0]', 'Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty']]],
  // An ephemeral volume's claim template's labels and annotations are validated as a template's (printed at
  // the map, without the key; an annotation's key in any case).
  ['an ephemeral volume\'s claim template: its labels and annotations',
    ['containers: [{name: a, image: i}]',
      'volumes:',
      '- name: scratch',
      '  ephemeral:',
      '    volumeClaimTemplate:',
      '      metadata:',
      '        labels: {"bad key": x, ok: "bad value!"}',
      '        annotations: {"Example.COM/Note": x, "a b": v}',
      '      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'],
    [[6, 18, 'volumes[0].ephemeral.volumeClaimTemplate.metadata.labels', `Invalid value: "bad key": ${NAME_PART}`],
      [6, 32, 'volumes[0].ephemeral.volumeClaimTemplate.metadata.labels', `Invalid value: "bad value!": ${LABEL_VALUE}`],
      [7, 46, 'volumes[0].ephemeral.volumeClaimTemplate.metadata.annotations', `Invalid value: "a b": ${NAME_PART}`]]],
  // Resize policies (in-place resize): cpu and memory, once each, NotRequired or RestartContainer; printed at the
  // list, a line printed twice once, as the API server's aggregate prints it.
  ['resize policies: resources and restart policies',
    ['containers:',
      '- name: a',
      '  image: i',
      '  resizePolicy:',
      '  - {resourceName: cpu, restartPolicy: NotRequired}',
      '  - {resourceName: cpu, restartPolicy: RestartContainer}',
      '  - {resourceName: gpu, restartPolicy: Sometimes}',
      '  - {}',
      'initContainers:',
      '- name: s',
      '  image: i',
      '  restartPolicy: Always',
      '  resizePolicy: [{resourceName: memory, restartPolicy: NotRequired}]'],
    [[5, 3, 'containers[0].resizePolicy[1]', 'Duplicate value: "cpu"'],
      [6, 6, 'containers[0].resizePolicy', 'Unsupported value: "gpu": supported values: "cpu", "memory"'],
      [6, 25, 'containers[0].resizePolicy', 'Unsupported value: "Sometimes": supported values: "NotRequired", "RestartContainer"'],
      [7, 3, 'containers[0].resizePolicy', 'Required value']]],
  // A pod's own resources: cpu, memory and hugepages only, no claims, and at least what its containers request
  // (regular and sidecar containers summed, an init container's peak beside the sidecars before it).
  ['pod-level resources: names, claims, the containers\' aggregate request',
    ['resources:',
      '  requests: {cpu: 500m, ephemeral-storage: 1Gi, memroy: 1Gi}',
      '  claims: [{name: x}]',
      'containers:',
      '- {name: a, image: i, resources: {requests: {cpu: 400m}}}',
      '- {name: b, image: i, resources: {requests: {cpu: 300m}}}',
      'initContainers:',
      '- {name: s, image: i, restartPolicy: Always, resources: {requests: {cpu: 100m}}}',
      '- {name: i, image: i, resources: {requests: {cpu: 3}}}'],
    [[1, 14, 'resources.requests[cpu]', 'Invalid value: "500m": must be greater than or equal to aggregate container requests of 3100m'],
      [1, 25, 'resources.requests[ephemeral-storage]', 'Unsupported value: "ephemeral-storage": supported values: "cpu", "hugepages-", "memory"'],
      [1, 49, 'resources.requests[memroy]', 'Invalid value: "memroy": must be a standard resource type or fully qualified'],
      [2, 3, 'resources.claims', 'Forbidden: claims may not be set for Resources at pod-level'],
      [2, 12, 'resources.claims[0]', 'Not found: "x": must be one of the names in pod.spec.resourceClaims which is empty']]],
  // A hugepage limit holds the containers' aggregate limit, and no container's limit is above the pod's; upstream
  // prints that one at an odd path of its own (containers[0][cpu].limits under spec.resources).
  ['pod-level resources: the containers\' limits',
    ['resources:',
      '  limits: {cpu: 1, memory: 1Gi, hugepages-2Mi: 2Mi}',
      '  requests: {cpu: 1, memory: 1Gi, hugepages-2Mi: 2Mi}',
      'containers:',
      '- {name: a, image: i, resources: {requests: {cpu: 2, memory: 1Gi, hugepages-2Mi: 4Mi}, limits: {cpu: 2, memory: 1Gi, hugepages-2Mi: 4Mi}}}'],
    [[1, 33, 'resources.limits[hugepages-2Mi]', 'Invalid value: "2Mi": must be greater than or equal to aggregate container limits of 4Mi'],
      [2, 14, 'resources.requests[cpu]', 'Invalid value: "1": must be greater than or equal to aggregate container requests of 2'],
      [2, 35, 'resources.requests[hugepages-2Mi]', 'Invalid value: "2Mi": must be greater than or equal to aggregate container requests of 4Mi'],
      [4, 97, 'resources.containers[0][cpu].limits', 'Invalid value: "2": must be less than or equal to pod limits of 1'],
      [4, 118, 'resources.containers[0][hugepages-2Mi].limits', 'Invalid value: "4Mi": must be less than or equal to pod limits of 2Mi']]],
  // A Windows pod takes no pod-level resources; nothing else about them is said.
  ['pod-level resources in a Windows pod',
    ['os: {name: windows}',
      'resources: {requests: {ephemeral-storage: 1Gi}, claims: []}',
      'containers: [{name: a, image: i}]'],
    [[1, 1, 'resources', 'Forbidden: may not be set for a windows pod']]],
  // Lt and Gt are operators an API server knows since Kubernetes 1.35, refused with their own list where the
  // cluster does not enable them (alpha).
  ['tolerations: the comparison operators, an unknown one',
    ['tolerations:', '- {key: k, operator: Lt, value: "5"}', '- {key: k, operator: Gt, value: "5", effect: NoSchedule}', '- {key: k, operator: Less}', 'containers: [{name: a, image: i}]'],
    [[1, 12, 'tolerations[0].operator', 'Unsupported value: "Lt": supported values: "Equal", "Exists", "Lt", "Gt"'],
      [2, 12, 'tolerations[1].operator', 'Unsupported value: "Gt": supported values: "Equal", "Exists", "Lt", "Gt"'],
      [3, 12, 'tolerations[2].operator', 'Unsupported value: "Less": supported values: "Equal", "Exists"']]],
  // The rarer volume sources' own fields, where each is its volume's first source: upstream prints a GCE disk's
  // under persistentDisk and an iSCSI initiator name as initiatorname; a partition's range says 1 though 0 is taken.
  ['the rarer volume sources: required fields, ranges, formats',
    ['containers: [{name: a, image: i}]',
      'volumes:',
      '- {name: g, gitRepo: {directory: /abs}}',
      '- {name: g2, gitRepo: {repository: r, directory: a/../b}}',
      '- {name: pd, gcePersistentDisk: {partition: 300}}',
      '- {name: ebs, awsElasticBlockStore: {volumeID: v, partition: -1}}',
      '- {name: is, iscsi: {iqn: foo, lun: 256, chapAuthSession: true, initiatorName: "iqn.bad"}}',
      '- {name: is2, iscsi: {targetPortal: "1.2.3.4:3260", iqn: "iqn.2001-04.com.example:storage"}}',
      '- {name: gl, glusterfs: {}}',
      '- {name: fl, flocker: {datasetName: a/b, datasetUUID: u}}',
      '- {name: fl2, flocker: {}}',
      '- {name: rb, rbd: {monitors: []}}',
      '- {name: ci, cinder: {secretRef: {}}}',
      '- {name: ce, cephfs: {}}',
      '- {name: fc, fc: {targetWWNs: [a], wwids: [b]}}',
      '- {name: fc2, fc: {}}',
      '- {name: fc3, fc: {targetWWNs: [a], lun: 300}}',
      '- {name: fx, flexVolume: {}}',
      '- {name: af, azureFile: {}}',
      '- {name: ad, azureDisk: {kind: Managed, diskURI: "https://x", cachingMode: none}}',
      '- {name: ad2, azureDisk: {diskName: d, diskURI: /subscriptions/x, kind: Dedicated}}',
      '- {name: vs, vsphereVolume: {}}',
      '- {name: ph, photonPersistentDisk: {}}',
      '- {name: pw, portworxVolume: {}}',
      '- {name: sc, scaleIO: {}}',
      '- {name: so, storageos: {volumeName: Bad_Name, volumeNamespace: NS, secretRef: {}}}',
      '- {name: qb, quobyte: {}}'],
    [[2, 13, 'volumes[0].gitRepo.repository', 'Required value'],
      [2, 23, 'volumes[0].gitRepo.directory', 'Invalid value: "/abs": must be a relative path'],
      [3, 39, 'volumes[1].gitRepo.directory', 'Invalid value: "a/../b": must not contain \'..\''],
      [4, 14, 'volumes[2].persistentDisk.pdName', 'Required value'],
      [4, 34, 'volumes[2].persistentDisk.partition', 'Invalid value: 300: must be between 1 and 255, inclusive'],
      [5, 51, 'volumes[3].awsElasticBlockStore.partition', 'Invalid value: -1: must be between 1 and 255, inclusive'],
      [6, 14, 'volumes[4].iscsi.targetPortal', 'Required value'],
      [6, 14, 'volumes[4].iscsi.secretRef', 'Required value'],
      [6, 22, 'volumes[4].iscsi.iqn', 'Invalid value: "foo": must be valid format starting with iqn, eui, or naa'],
      [6, 32, 'volumes[4].iscsi.lun', 'Invalid value: 256: must be between 0 and 255, inclusive'],
      [6, 65, 'volumes[4].iscsi.initiatorname', 'Invalid value: "iqn.bad": must be valid format'],
      [8, 14, 'volumes[6].glusterfs.endpoints', 'Required value'],
      [8, 14, 'volumes[6].glusterfs.path', 'Required value'],
      [9, 14, 'volumes[7].flocker', 'Invalid value: "resource": datasetName and datasetUUID can not be specified simultaneously'],
      [9, 24, 'volumes[7].flocker.datasetName', 'Invalid value: "a/b": must not contain \'/\''],
      [10, 15, 'volumes[8].flocker', 'Required value: one of datasetName and datasetUUID is required'],
      [11, 14, 'volumes[9].rbd.image', 'Required value'],
      [11, 20, 'volumes[9].rbd.monitors', 'Required value'],
      [12, 14, 'volumes[10].cinder.volumeID', 'Required value'],
      [12, 23, 'volumes[10].cinder.secretRef.name', 'Required value'],
      [13, 14, 'volumes[11].cephfs.monitors', 'Required value'],
      [14, 14, 'volumes[12].fc.lun', 'Required value: lun is required if targetWWNs is specified'],
      [14, 19, 'volumes[12].fc.targetWWNs', 'Invalid value: ["a"]: targetWWNs and wwids can not be specified simultaneously'],
      [15, 15, 'volumes[13].fc.targetWWNs', 'Required value: must specify either targetWWNs or wwids, but not both'],
      [16, 37, 'volumes[14].fc.lun', 'Invalid value: 300: must be between 0 and 255, inclusive'],
      [17, 14, 'volumes[15].flexVolume.driver', 'Required value'],
      [18, 14, 'volumes[16].azureFile.secretName', 'Required value'],
      [18, 14, 'volumes[16].azureFile.shareName', 'Required value'],
      [19, 14, 'volumes[17].azureDisk.diskName', 'Required value'],
      [19, 41, 'volumes[17].azureDisk.diskURI', 'Unsupported value: "https://x": supported values: "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"'],
      [19, 63, 'volumes[17].azureDisk.cachingMode', 'Unsupported value: "none": supported values: "None", "ReadOnly", "ReadWrite"'],
      [20, 40, 'volumes[18].azureDisk.diskURI', 'Unsupported value: "/subscriptions/x": supported values: "https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"'],
      [21, 14, 'volumes[19].vsphereVolume.volumePath', 'Required value'],
      [22, 14, 'volumes[20].photonPersistentDisk.pdID', 'Required value'],
      [23, 14, 'volumes[21].portworxVolume.volumeID', 'Required value'],
      [24, 14, 'volumes[22].scaleIO.gateway', 'Required value'],
      [24, 14, 'volumes[22].scaleIO.system', 'Required value'],
      [24, 14, 'volumes[22].scaleIO.volumeName', 'Required value'],
      [25, 26, 'volumes[23].storageos.volumeName', `Invalid value: "Bad_Name": ${DNS_LABEL}`],
      [25, 48, 'volumes[23].storageos.volumeNamespace', `Invalid value: "NS": ${DNS_LABEL}`],
      [25, 69, 'volumes[23].storageos.secretRef.name', 'Required value'],
      [26, 14, 'volumes[24].quobyte.registry', 'Required value: must be a host:port pair or multiple pairs separated by commas'],
      [26, 14, 'volumes[24].quobyte.volume', 'Required value']]],
  // An iSCSI volume's name and portal together (with an initiator name), a flexVolume's options in the reserved
  // namespaces (any case), a Quobyte registry's host:port pairs as Go's net.SplitHostPort reads them.
  ['the rarer volume sources: what the table cannot say',
    ['containers: [{name: a, image: i}]',
      'volumes:',
      '- {name: a-rather-long-volume-name-for-this-test, iscsi: {targetPortal: "iscsi.storage.example.com:3260", iqn: "iqn.2001-04.com.example:storage", initiatorName: "iqn.2001-04.com.example:node1"}}',
      '- {name: short, iscsi: {targetPortal: "iscsi.storage.example.com:3260", iqn: "iqn.2001-04.com.example:storage", initiatorName: "iqn.2001-04.com.example:node1"}}',
      '- {name: fx, flexVolume: {driver: example/lvm, options: {kubernetes.io/foo: a, Sub.K8s.io/bar: b, example.com/ok: c, plain: d}}}',
      '- {name: qb, quobyte: {registry: "reg1:7861,reg2,[::1]:7861", volume: v}}',
      '- {name: qb2, quobyte: {registry: "reg1:7861,[::1]:7861,host:", volume: v}}'],
    [[2, 4, 'volumes[0].name', 'Invalid value: "a-rather-long-volume-name-for-this-test": Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.'],
      [4, 58, 'volumes[2].flexVolume.options[kubernetes.io/foo]', 'Invalid value: "kubernetes.io/foo": kubernetes.io and k8s.io namespaces are reserved'],
      [4, 80, 'volumes[2].flexVolume.options[Sub.K8s.io/bar]', 'Invalid value: "Sub.K8s.io/bar": kubernetes.io and k8s.io namespaces are reserved'],
      [5, 24, 'volumes[3].quobyte.registry', 'Invalid value: "reg1:7861,reg2,[::1]:7861": must be a host:port pair or multiple pairs separated by commas']]],
  // ValidateVolumes keeps only the volumes without errors: a mount or device naming a refused one is not found.
  ['mounts and devices of volumes that are refused',
    ['containers:',
      '- name: a',
      '  image: i',
      '  volumeMounts: [{name: bad, mountPath: /b}, {name: ok, mountPath: /o}, {name: Upper, mountPath: /u}]',
      '  volumeDevices: [{name: claim, devicePath: /dev/xvda}]',
      'volumes:',
      '- {name: bad, hostPath: {path: ""}}',
      '- {name: ok, emptyDir: {}}',
      '- {name: Upper, emptyDir: {}}',
      '- {name: claim, persistentVolumeClaim: {claimName: ""}}'],
    [[3, 19, 'containers[0].volumeMounts[0].name', 'Not found: "bad"'],
      [3, 74, 'containers[0].volumeMounts[2].name', 'Not found: "Upper"'],
      [4, 20, 'containers[0].volumeDevices[0].name', 'Not found: "claim"'],
      [6, 26, 'volumes[0].hostPath.path', 'Required value'],
      [8, 4, 'volumes[2].name', `Invalid value: "Upper": ${DNS_LABEL}`],
      [9, 41, 'volumes[3].persistentVolumeClaim.claimName', 'Required value']]],
  // A sleep hook's error is at .sleep itself; it may last 0 seconds up to the pod's grace period
  // (defaulted to 30), bounds included; a sleep after another handler is not validated, only refused.
  ['sleep hooks: negative, longer than the grace period (defaulted or set), after another handler; 0 and the grace period itself taken',
    ['terminationGracePeriodSeconds: 45', 'containers:', '- name: a', IMAGE, '  lifecycle: {preStop: {sleep: {seconds: 46}}, postStart: {sleep: {seconds: -1}}}',
      '- name: b', IMAGE, '  lifecycle: {preStop: {sleep: {seconds: 45}}, postStart: {sleep: {seconds: 0}}}',
      '- name: c', IMAGE, '  lifecycle: {preStop: {exec: {command: [x]}, sleep: {seconds: 90}}}',
      'initContainers:', '- name: s', IMAGE, '  restartPolicy: Always', '  lifecycle: {preStop: {sleep: {seconds: 50}}}'],
    [[4, 25, 'containers[0].lifecycle.preStop.sleep', 'Invalid value: 46: must be non-negative and less than terminationGracePeriodSeconds (45)'],
      [4, 60, 'containers[0].lifecycle.postStart.sleep', 'Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (45)'],
      [10, 47, 'containers[2].lifecycle.preStop.sleep', 'Forbidden: may not specify more than 1 handler type'],
      [15, 25, 'initContainers[0].lifecycle.preStop.sleep', 'Invalid value: 50: must be non-negative and less than terminationGracePeriodSeconds (45)']]],
  ['a sleep hook longer than the grace period the API server defaults (30)',
    ['containers:', '- name: a', IMAGE, '  lifecycle: {preStop: {sleep: {seconds: 31}}}', '- name: b', IMAGE, '  lifecycle: {preStop: {sleep: {seconds: 30}}}'],
    [[3, 25, 'containers[0].lifecycle.preStop.sleep', 'Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)']]],
  // Each gate's errors are printed at the item (no .name); an invalid name counts for the duplicates.
  ['scheduling gates: qualified names, each once',
    ['schedulingGates:', '- name: example.com/foo', '- name: example.com/foo', '- name: "foo bar"', '- {}', '- name: "foo bar"', 'containers: [{name: a, image: i}]'],
    [[2, 3, 'schedulingGates[1]', 'Duplicate value: "example.com/foo"'],
      [3, 3, 'schedulingGates[2]', `Invalid value: "foo bar": ${NAME_PART}`],
      [4, 1, 'schedulingGates[3]', 'Invalid value: "": name part must be non-empty'],
      [4, 1, 'schedulingGates[3]', `Invalid value: "": ${NAME_PART}`],
      [5, 3, 'schedulingGates[4]', `Invalid value: "foo bar": ${NAME_PART}`],
      [5, 3, 'schedulingGates[4]', 'Duplicate value: "foo bar"']]],
  // An init container's probes and hooks are only a sidecar's (restartPolicy: Always), whose are validated;
  // hostNetwork ties the regular containers' host ports to their container ports.
  // Each container may have its own restart policy (ContainerRestartRules, on by default since 1.35).
  ['container restart policies, init containers\' probes and hooks; host ports with hostNetwork',
    ['hostNetwork: true', 'initContainers:', '- name: i1', IMAGE, '  restartPolicy: OnFailure', '  livenessProbe: {exec: {command: [x]}}', '  lifecycle: {preStop: {exec: {command: [x]}}}',
      '  ports: [{containerPort: 80, hostPort: 81}]', '- name: side', IMAGE, '  restartPolicy: Always', '  readinessProbe: {}', '- name: i3', IMAGE, '  startupProbe: {}',
      '- name: i4', IMAGE, '  restartPolicy: always',
      'containers:', '- name: a', IMAGE, '  restartPolicy: Sometimes', '  ports: [{containerPort: 8080, hostPort: 8081}, {containerPort: 9090, hostPort: 9090}, {containerPort: 7070}]'],
    [[5, 3, 'initContainers[0].livenessProbe', 'Forbidden: may not be set for init containers without restartPolicy=Always'],
      [6, 3, 'initContainers[0].lifecycle', 'Forbidden: may not be set for init containers without restartPolicy=Always'],
      [11, 3, 'initContainers[1].readinessProbe', 'Required value: must specify a handler type'],
      [14, 3, 'initContainers[2].startupProbe', 'Forbidden: may not be set for init containers without restartPolicy=Always'],
      [17, 3, 'initContainers[3].restartPolicy', 'Unsupported value: "always": supported values: "Always", "OnFailure", "Never"'],
      [21, 3, 'containers[0].restartPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
      [22, 33, 'containers[0].ports[0].hostPort', 'Invalid value: 8081: must match `containerPort` when `hostNetwork` is true']]],
];

t.test('each refused field, in a Pod and in a Deployment template: where it is, in upstream\'s words, not judged', async (t) => {
  await expectRefusals(t, CASES);
});

t.test('what validation allows is judged: volumes and their sources, ports, variables, mounts, probes, hooks, DNS, tolerations, spread, affinity upstream takes', async (t) => {
  const spec = [
    'hostNetwork: true',
    'dnsPolicy: None',
    'dnsConfig: {nameservers: [1.1.1.1], searches: [svc.cluster.local., .], options: [{name: ndots, value: "2"}]}',
    'hostAliases: [{ip: "2001:db8::1", hostnames: [db.local]}]',
    'tolerations: [{operator: Exists}, {key: example.com/gpu, operator: Exists, effect: NoSchedule}, {key: k, value: v, effect: NoExecute, tolerationSeconds: 30}]',
    'topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: 2, nodeTaintsPolicy: Honor}]',
    'nodeSelector: {kubernetes.io/os: linux}',
    'readinessGates: [{conditionType: example.com/ready}]',
    'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}, {key: example.com/cores, operator: Gt, values: ["4"]}], matchFields: [{key: metadata.name, operator: NotIn, values: [node-1]}]}]}, preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, preference: {matchExpressions: [{key: zone, operator: Exists}]}}]}, podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: {labelSelector: {matchLabels: {app: web}}, matchLabelKeys: [pod-template-hash], namespaces: [shop], topologyKey: kubernetes.io/hostname}}]}}',
    'volumes:',
    '- {name: data, emptyDir: {sizeLimit: 0}}',
    '- {name: host, hostPath: {path: /var/log, type: DirectoryOrCreate}}',
    '- {name: empty}',
    '- {name: cfg, configMap: {name: app, defaultMode: 0644, items: [{key: app.yaml, path: conf/app.yaml, mode: 0400}]}}',
    '- {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: mem, resourceFieldRef: {containerName: app, resource: limits.memory}}]}}',
    '- {name: token, projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 600}}, {configMap: {name: ca, items: [{key: ca.crt, path: ca.crt}]}}]}}',
    '- {name: shared, nfs: {server: nfs.example.com, path: /exports}}',
    'initContainers:',
    '- name: setup',
    IMAGE,
    '  volumeMounts: [{name: data, mountPath: /data, subPathExpr: $(POD_NAME)}]',
    '- name: proxy',
    IMAGE,
    '  restartPolicy: Always',
    '  ports: [{name: proxy, containerPort: 15001}]',
    '  startupProbe: {tcpSocket: {port: proxy}, failureThreshold: 30}',
    '  lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}',
    'containers:',
    '- name: app',
    IMAGE,
    // With hostNetwork an unset (or 0) hostPort takes the containerPort.
    '  ports: [{name: http, containerPort: 8080, hostPort: 8080}, {name: metrics, containerPort: 9090, hostPort: 0, protocol: UDP}, {containerPort: 53, protocol: SCTP}]',
    '  volumeMounts: [{name: data, mountPath: /data, subPath: app/cache, mountPropagation: HostToContainer}, {name: host, mountPath: /logs, readOnly: true, recursiveReadOnly: IfPossible}, {name: empty, mountPath: /tmp}]',
    '  env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}, {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.host}}}, {name: "my.var-1"}, {name: PASS, valueFrom: {secretKeyRef: {name: db, key: password}}}, {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory}}}]',
    '  envFrom: [{prefix: CFG_, configMapRef: {name: app-}}, {secretRef: {name: app.secrets}}]',
    '  livenessProbe: {httpGet: {path: /healthz, port: http, scheme: HTTPS}, successThreshold: 0}',
    '  readinessProbe: {grpc: {port: 9090}, successThreshold: 3, initialDelaySeconds: 0}',
    '  startupProbe: {exec: {command: [cat, /ready]}, successThreshold: 1, terminationGracePeriodSeconds: 10}',
  ];
  for (const [head, by] of [[POD_HEAD, '  '], [DEPLOYMENT_HEAD, '      ']] as const) {
    const { code, report } = await check(head + indent(spec, by));
    t.same(report.errors, [], `${head.split('\n')[1]}: no error`);
    t.equal(report.resources.length, 1, 'judged');
    t.equal(code, 1, 'and it fails restricted (host network, a hostPath volume, host ports)');
    t.same([...new Set(report.resources[0]!.violations.map((v) => v.checkId))].sort(),
      ['allowPrivilegeEscalation', 'capabilities_restricted', 'hostNamespaces', 'hostPorts', 'restrictedVolumes', 'runAsNonRoot', 'seccompProfile_restricted']);
  }
});

t.test('containers with restart policies and rules of their own (ContainerRestartRules, on since 1.35) are judged', async (t) => {
  const spec = [
    'restartPolicy: Never',
    'initContainers:',
    '- {name: fetch, image: i, restartPolicy: OnFailure}',
    '- {name: once, image: i, restartPolicy: Never}',
    'containers:',
    '- name: train',
    IMAGE,
    '  restartPolicy: Never',
    '  restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]',
    '- {name: agent, image: i, restartPolicy: OnFailure}',
  ];
  const { code, report } = await check(POD_HEAD + indent(spec, '  '));
  t.same(report.errors, [], 'no error');
  t.equal(report.resources.length, 1, 'judged');
  t.equal(code, 1, 'and it fails restricted, for want of a security context');
});

t.test('a StatefulSet\'s pod spec is validated as its pods are made: a volume for each claim template, no hostname or subdomain', async (t) => {
  const sts = [
    'apiVersion: apps/v1', 'kind: StatefulSet', 'metadata: {name: db}', 'spec:', '  serviceName: db', '  selector: {matchLabels: {app: db}}', '  template:', '    metadata:',
    '      labels: {app: db}', '      annotations: {seccomp.security.alpha.kubernetes.io/pod: RuntimeDefault}', '    spec:',
    // The controller sets both (to the pod's name and the serviceName): the API server does not validate them.
    '      hostname: Not_A_Label', '      subdomain: db.example',
    // The controller puts the claim template's volume in place of the template's "data".
    '      volumes: [{name: data, emptyDir: {}, hostPath: {path: /x}}]', '      containers:', '      - name: db', '        image: postgres', '        ports: [{containerPort: 0}]',
    '        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}, {name: wal, mountPath: /wal}, {name: nope, mountPath: /n}]',
    '  volumeClaimTemplates:', '  - metadata: {name: data}', '    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
    '  - metadata: {name: wal}', '    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}', ''].join('\n');
  const { code, report } = await check(sts);
  t.equal(code, 2);
  t.same(report.errors.map((e) => [e.line, e.message]), [
    [10, 'StatefulSet default/db: spec.template.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "RuntimeDefault": must be a valid seccomp profile (the API server refuses the object)'],
    [18, 'StatefulSet default/db: spec.template.spec.containers[0].ports[0].containerPort: Required value (the API server refuses the object)'],
    [19, 'StatefulSet default/db: spec.template.spec.containers[0].volumeMounts[2].name: Not found: "nope" (the API server refuses the object)'],
  ]);
  // Its mounts of claim templates alone are fine; the same template in a Deployment has no such volumes.
  const fine = sts.replace(', {name: nope, mountPath: /n}', '').replace('{containerPort: 0}', '{containerPort: 5432}').replace(/ {6}annotations: .*\n/, '');
  const ok = await check(fine);
  t.same(ok.report.errors, [], 'claim templates give the pods their volumes');
  t.equal(ok.report.resources.length, 1, 'judged');
  const deployment = await check(fine.replace('kind: StatefulSet', 'kind: Deployment').replace('  serviceName: db\n', '').replace(/ {2}volumeClaimTemplates:[\s\S]*/, ''));
  t.same(deployment.report.errors.map((e) => e.message), [
    `Deployment default/db: spec.template.spec.hostname: Invalid value: "Not_A_Label": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?') (the API server refuses the object)`,
    'Deployment default/db: spec.template.spec.subdomain: Invalid value: "db.example": must not contain dots (the API server refuses the object)',
    'Deployment default/db: spec.template.spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type (the API server refuses the object)',
    // Its "data" volume is refused (two sources): the API server does not find it for the mount either.
    'Deployment default/db: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data" (the API server refuses the object)',
    'Deployment default/db: spec.template.spec.containers[0].volumeMounts[1].name: Not found: "wal" (the API server refuses the object)',
  ], 'a Deployment has no claim templates, and its hostname and subdomain are validated');
});

t.test('the volume sources the table orders are those the API has', async (t) => {
  const table = JSON.parse(readFileSync(new URL('../admission/pod-spec-refusals.json', import.meta.url), 'utf8')) as { lists: Record<string, (string | { field: string })[]> };
  const sources = table.lists.volumeSources!.map((x) => (typeof x === 'string' ? x : x.field));
  const known = volumeSourcesOfTheApi();
  t.ok(known.includes('hostPath'), 'found the Volume type');
  t.same([...sources].sort(), [...known].sort());
  t.equal(new Set(sources).size, sources.length, 'each once');
  t.equal(sources[0], 'emptyDir', 'upstream tests emptyDir first');
});

t.test('a Pod\'s limits stand for the requests it leaves out; a template\'s do not', async (t) => {
  const spec = ['containers:', '- name: a', IMAGE, '  resources: {limits: {memory: -128Mi, example.com/gpu: 1}}'];
  const pod = await check(POD_HEAD + indent(spec, '  '));
  t.same(pod.report.errors.map((e) => [e.line, e.column, e.message]), [
    [9, 26, 'Pod default/p: spec.containers[0].resources.limits[memory]: Invalid value: "-128Mi": must be greater than or equal to 0 (the API server refuses the object)'],
    [9, 26, 'Pod default/p: spec.containers[0].resources.requests[memory]: Invalid value: "-128Mi": must be greater than or equal to 0 (the API server refuses the object)'],
  ], 'the copied request is refused too, where the limit is written');
  const template = await check(DEPLOYMENT_HEAD + indent(spec, '      '));
  t.same(template.report.errors.map((e) => e.message), [
    'Deployment default/web: spec.template.spec.containers[0].resources.limits[memory]: Invalid value: "-128Mi": must be greater than or equal to 0 (the API server refuses the object)',
  ]);
  const fine = await check(DEPLOYMENT_HEAD + indent(['containers:', '- name: a', IMAGE, '  resources: {limits: {cpu: 500m, memory: 1Gi, example.com/gpu: 1}, requests: {cpu: 0.5, memory: 1024Mi, example.com/gpu: "1"}}'], '      '));
  t.same(fine.report.errors, [], 'equal quantities written otherwise');
});

t.test('host ports taken twice: among the regular containers, in one init container; a Pod\'s hostNetwork sets them, a template\'s does not', async (t) => {
  const spec = ['hostNetwork: true', 'initContainers:', '- name: i0', IMAGE, '- name: i1', IMAGE, '  ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, hostPort: 53, protocol: UDP}]',
    'containers:', '- name: a', IMAGE, '  ports: [{containerPort: 8080}, {containerPort: 9090, hostIP: 10.0.0.1}]', '- name: b', IMAGE, '  ports: [{containerPort: 8080, hostPort: 8080}, {containerPort: 9090}]'];
  const pod = await check(POD_HEAD + indent(spec, '  '));
  // Upstream checks an init container alone, and prints it as the first.
  t.same(pod.report.errors.map((e) => [e.line, e.column, e.message]), [
    [12, 69, 'Pod default/p: spec.initContainers[0].ports[1].hostPort: Duplicate value: "UDP//53" (the API server refuses the object)'],
    [19, 35, 'Pod default/p: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080" (the API server refuses the object)'],
  ]);
  const template = await check(DEPLOYMENT_HEAD + indent(spec, '      '));
  t.same(template.report.errors, [], 'a template\'s unset host ports stay unset');
  t.equal(template.report.resources.length, 1, 'judged');
  const twice = await check(DEPLOYMENT_HEAD + indent(['containers:', '- name: a', IMAGE, '  ports: [{containerPort: 80, hostPort: 8000}]', '- name: b', IMAGE, '  ports: [{containerPort: 81, hostPort: 8000, protocol: TCP}, {containerPort: 82, hostPort: 8000, protocol: UDP}]'], '      '));
  t.same(twice.report.errors.map((e) => e.message), ['Deployment default/web: spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8000" (the API server refuses the object)']);
});

t.test('a Pod\'s images may have no white space around them; a template\'s are not checked', async (t) => {
  const spec = ['containers: [{name: a, image: " nginx"}]', 'initContainers: [{name: b, image: "busybox\\t"}]'];
  const pod = await check(POD_HEAD + indent(spec, '  '));
  t.same(pod.report.errors.map((e) => e.message), [
    'Pod default/p: spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace (the API server refuses the object)',
    'Pod default/p: spec.initContainers[0].image: Invalid value: "busybox\\t": must not have leading or trailing whitespace (the API server refuses the object)',
  ]);
  const template = await check(DEPLOYMENT_HEAD + indent(spec, '      '));
  t.same(template.report.errors, []);
});

t.test('a Pod placed on a node may have no scheduling gates; a template may', async (t) => {
  const spec = ['nodeName: node-1', 'schedulingGates: [{name: example.com/quota}]', 'containers: [{name: a, image: i}]'];
  const pod = await check(POD_HEAD + indent(spec, '  '));
  t.same(pod.report.errors.map((e) => [e.line, e.message]), [
    [6, 'Pod default/p: spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared (the API server refuses the object)'],
  ]);
  const template = await check(DEPLOYMENT_HEAD + indent(spec, '      '));
  t.same(template.report.errors, []);
  t.equal(template.report.resources.length, 1, 'the template is judged');
});

t.test('a pod that never restarts may only resize its containers in place, a Job\'s too', async (t) => {
  const spec = ['restartPolicy: Never', 'containers:', '- name: a', '  image: i', '  resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}, {resourceName: memory, restartPolicy: RestartContainer}]'];
  const message = "spec.containers[0].resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when pod `restartPolicy` is 'Never' (the API server refuses the object)";
  const pod = await check(POD_HEAD + indent(spec, '  '));
  t.same(pod.report.errors.map((e) => [e.line, e.column, e.message]), [[10, 92, `Pod default/p: ${message}`]]);
  const job = await check('apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n' + indent(spec, '      '));
  t.same(job.report.errors.map((e) => [e.line, e.column, e.message]), [[12, 96, `Job default/j: spec.template.${message}`]]);
});

t.test('a Pod\'s own requests are defaulted before they are validated (from its containers\' and its limits); a template\'s are not', async (t) => {
  const spec = ['resources: {limits: {cpu: 1, memory: 1Gi}}', 'containers:', '- {name: a, image: i, resources: {limits: {cpu: 2, memory: 2Gi}}}'];
  const above = [
    'spec.resources.containers[0][cpu].limits: Invalid value: "2": must be less than or equal to pod limits of 1',
    'spec.resources.containers[0][memory].limits: Invalid value: "2Gi": must be less than or equal to pod limits of 1Gi',
  ];
  const pod = await check(POD_HEAD + indent(spec, '  '));
  // The container's requests are its limits, and the pod's requests the containers' aggregate: above the pod's limits.
  t.same(pod.report.errors.map((e) => e.message).sort(), [
    ...above,
    'spec.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    'spec.resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
  ].map((m) => `Pod default/p: ${m} (the API server refuses the object)`).sort());
  t.ok(pod.report.errors.every((e) => e.line === 6 || e.line === 8), 'defaulted requests are reported at the pod\'s resources');
  const template = await check(DEPLOYMENT_HEAD + indent(spec, '      '));
  t.same(template.report.errors.map((e) => e.message).sort(), above.map((m) => `Deployment default/web: spec.template.${m} (the API server refuses the object)`).sort());
  // Pod limits alone: its requests default to them, and a container without limits is within them.
  const within = await check(POD_HEAD + indent(['resources: {limits: {cpu: 1, hugepages-2Mi: 2Mi}}', 'containers: [{name: a, image: i, resources: {requests: {cpu: 500m, memory: 1Gi}}}]'], '  '));
  t.same(within.report.errors, []);
  // A per-pod PID limit (alpha in Kubernetes 1.37) is dropped by an API server with its default gates, not refused.
  const pids = await check(POD_HEAD + indent(['resources: {limits: {pids: "2048", ephemeral-storage: 1Gi}}', 'containers: [{name: a, image: i}]'], '  '));
  t.same(pids.report.errors.map((e) => e.message), ['Pod default/p: spec.resources.limits[ephemeral-storage]: Unsupported value: "ephemeral-storage": supported values: "cpu", "hugepages-", "memory" (the API server refuses the object)']);
});

t.test('a pod deletion cost is a 32-bit integer written plainly, in a Pod\'s annotations and a template\'s', async (t) => {
  const costs = ['"100"', '"-007"', '"-2147483648"', '"+10"', '"008"', '"2147483648"', '"1e3"'];
  const refused = ['+10', '008', '2147483648', '1e3'];
  for (const cost of costs) {
    const value = JSON.parse(cost) as string;
    const pod = await check(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {controller.kubernetes.io/pod-deletion-cost: ${cost}}\nspec:\n  containers: [{name: a, image: i}]\n`);
    const deployment = await check(`${DEPLOYMENT_HEAD.replace('    metadata: {labels: {app: web}}\n', `    metadata: {labels: {app: web}, annotations: {controller.kubernetes.io/pod-deletion-cost: ${cost}}}\n`)}      containers: [{name: a, image: i}]\n`);
    const line = (path: string) => `${path}[controller.kubernetes.io/pod-deletion-cost]: Invalid value: ${JSON.stringify(value)}: must be a 32bit integer (the API server refuses the object)`;
    t.same(pod.report.errors.map((e) => [e.line, e.message]), refused.includes(value) ? [[5, `Pod default/p: ${line('metadata.annotations')}`]] : [], `${value} in a Pod`);
    t.same(deployment.report.errors.map((e) => e.message), refused.includes(value) ? [`Deployment default/web: ${line('spec.template.annotations')}`] : [], `${value} in a template`);
  }
});

t.test('a mirror pod\'s annotation needs a node name, in a Pod and in a template', async (t) => {
  const annotated = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {kubernetes.io/config.mirror: abc}\nspec:\n${extra}  containers: [{name: a, image: i}]\n`;
  const pod = await check(annotated(''));
  t.same(pod.report.errors.map((e) => [e.line, e.column, e.message]),
    [[5, 17, 'Pod default/p: metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "abc": must set spec.nodeName if mirror pod annotation is set (the API server refuses the object)']]);
  t.match(pod.report.errors[0]!.hint, /^the kubelet marks the pods it mirrors/);
  t.same((await check(annotated('  nodeName: node-1\n'))).report.errors, [], 'with a node name');
  const deployment = await check(`${DEPLOYMENT_HEAD.replace('    metadata: {labels: {app: web}}\n', '    metadata: {labels: {app: web}, annotations: {kubernetes.io/config.mirror: ""}}\n')}      containers: [{name: a, image: i}]\n`);
  t.same(deployment.report.errors.map((e) => e.message),
    ['Deployment default/web: spec.template.annotations[kubernetes.io/config.mirror]: Invalid value: "": must set spec.nodeName if mirror pod annotation is set (the API server refuses the object)']);
});

t.test('host:port pairs are read as Go\'s net.SplitHostPort reads them', async (t) => {
  const pairs: [string, boolean][] = [['a:1', true], ['host:', true], [':80', true], ['[::1]:80', true], ['a', false], ['', false],
    ['::1:80', false], ['[::1]80', false], ['[a]:b:c', false], ['a:]', false], ['[[::1]:80', false], ['[::1', false]];
  t.same(pairs.map(([pair]) => [pair, splitsAsHostPort(pair)]), pairs);
});

t.test('a Pod\'s ephemeral volumes make claims named after it: a valid name, and one no other volume names; a template\'s are not checked', async (t) => {
  const claim = '{volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}';
  const spec = ['containers: [{name: a, image: i}]', 'volumes:', `- {name: scratch, ephemeral: ${claim}}`, '- {name: again, persistentVolumeClaim: {claimName: web-scratch}}', '- {name: other, persistentVolumeClaim: {claimName: scratch}}'];
  const pod = await check(POD_HEAD.replace('name: p', 'name: web') + indent(spec, '  '));
  t.same(pod.report.errors.map((e) => [e.line, e.message]), [
    [9, 'Pod default/web: spec.volumes[1].persistentVolumeClaim.claimName: Invalid value: "web-scratch": must not reference a PVC that gets created for an ephemeral volume (the API server refuses the object)'],
  ]);
  const long = 'p'.repeat(250);
  const named = await check(POD_HEAD.replace('name: p', `name: ${long}`) + indent(spec.slice(0, 3), '  '));
  t.same(named.report.errors.map((e) => [e.line, e.message]), [
    [8, `Pod default/${long}: spec.volumes[0].name: Invalid value: "scratch": PVC name "${long}-scratch": must be no more than 253 characters (the API server refuses the object)`],
  ]);
  const template = await check(DEPLOYMENT_HEAD + indent(spec, '      '));
  t.same(template.report.errors, []);
});
