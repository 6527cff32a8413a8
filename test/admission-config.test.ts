import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, configProblemText, loadAdmissionConfigFile, parseAdmissionConfig, parseAdmissionConfigFile } from '../admission/config.js';
import { levelVersionString } from '../admission/policy.js';

t.test('full v1 configuration', async (t) => {
  const c = parseAdmissionConfig(`
apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: baseline
  enforce-version: v1.30
  warn: restricted
exemptions:
  usernames: [system:serviceaccount:kube-system:replicaset-controller]
  runtimeClasses: [kata.io]
  namespaces: [kube-system]
`);
  t.equal(levelVersionString(c.defaults.enforce), 'baseline:v1.30');
  t.equal(levelVersionString(c.defaults.audit), 'privileged:latest');
  t.equal(levelVersionString(c.defaults.warn), 'restricted:latest');
  t.ok(c.exemptions.namespaces.has('kube-system'));
  t.ok(c.exemptions.runtimeClasses.has('kata.io'));
  t.ok(c.exemptions.usernames.has('system:serviceaccount:kube-system:replicaset-controller'));
});

t.test('versions, JSON, empty', async (t) => {
  for (const v of ['v1', 'v1beta1', 'v1alpha1']) {
    const c = parseAdmissionConfig(JSON.stringify({ apiVersion: `pod-security.admission.config.k8s.io/${v}`, kind: 'PodSecurityConfiguration', defaults: { audit: 'restricted' } }));
    t.equal(levelVersionString(c.defaults.audit), 'restricted:latest', v);
  }
  const empty = parseAdmissionConfig('');
  t.equal(levelVersionString(empty.defaults.enforce), 'privileged:latest');
  t.equal(empty.exemptions.namespaces.size, 0);
  // It lets every pod run: said, as a file left empty by a failed render would otherwise pass all.
  t.match(empty.warnings, [{ message: /^the file is empty, so the defaults apply: privileged:latest/ }]);
});

t.test('embedded in an AdmissionConfiguration', async (t) => {
  const c = parseAdmissionConfig(`
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: Other
  configuration: {}
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: restricted}
    exemptions: {namespaces: [a]}
`);
  t.equal(levelVersionString(c.defaults.enforce), 'restricted:latest');
  t.ok(c.exemptions.namespaces.has('a'));
  // No PodSecurity entry: the API server gives the plugin the defaults (podsec warns).
  for (const plugins of ['plugins: []\n', '', 'plugins:\n- name: podsecurity\n  configuration: {}\n', 'Plugins: [{name: PodSecurity}]\n']) {
    const d = parseAdmissionConfig(`apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\n${plugins}`);
    t.equal(levelVersionString(d.defaults.enforce), 'privileged:latest', plugins);
    t.match(d.warnings!.map((w) => w.message).join('\n'), /no plugin entry is named "PodSecurity": the API server gives the PodSecurity plugin the defaults/);
  }
  const embedded = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults: {warn: baseline}\n`;
  // v1alpha1 is in the older group; the API server registers no AdmissionConfiguration in the others.
  t.equal(levelVersionString(parseAdmissionConfig(embedded('apiserver.k8s.io/v1alpha1')).defaults.warn), 'baseline:latest', 'apiserver.k8s.io/v1alpha1 is read too');
  for (const v of ['apiserver.config.k8s.io/v1beta1', 'apiserver.config.k8s.io/v1alpha1', 'apiserver.k8s.io/v1']) {
    t.throws(() => parseAdmissionConfig(embedded(v)), { message: `apiVersion "${v}" is not supported for AdmissionConfiguration; write "apiVersion: apiserver.config.k8s.io/v1"` });
  }
  t.throws(() => parseAdmissionConfig('kind: AdmissionConfiguration\n'), { message: 'apiVersion is missing for AdmissionConfiguration; write "apiVersion: apiserver.config.k8s.io/v1"' });
  t.throws(() => parseAdmissionConfig('apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: {a: 1}\n'), /plugins must be a list of \{name, configuration\} entries, got a mapping$/);
  t.throws(() => parseAdmissionConfigFile('apiVersion: 5\nkind: AdmissionConfiguration\n', 'a.yaml'), /^invalid configuration file a\.yaml:1:1: apiVersion 5 is not supported/);
  t.throws(
    () =>
      parseAdmissionConfig(
        'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    bogus: 1\n',
      ),
    /unknown field "plugins\[0\]\.configuration\.bogus"/,
  );
});

t.test('strict decoding and validation errors', async (t) => {
  const head = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n';
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  runtimeClassNames: [x]\n'), {
    message: 'unknown field "exemptions.runtimeClassNames"; did you mean "runtimeClasses"?',
  });
  t.throws(() => parseAdmissionConfig(head + 'default:\n  enforce: baseline\n'), /unknown field "default"; did you mean "defaults"\?/);
  // A suggestion is made up to two edits away (a third of the key's length for longer keys), no further.
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  usernam: [x]\n'), { message: 'unknown field "exemptions.usernam"; did you mean "usernames"?' });
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  userna: [x]\n'), { message: 'unknown field "exemptions.userna"; allowed fields here: usernames, runtimeClasses, namespaces' });
  t.throws(() => parseAdmissionConfig('{bad'), { message: "not valid JSON: invalid character 'b' looking for beginning of object key string" });
  t.throws(() => parseAdmissionConfig(head + 'defaults:\n  enforce: strict\n'), {
    message: 'defaults.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted',
  });
  t.throws(() => parseAdmissionConfig(head + 'defaults:\n  audit-version: "1.25"\n'), /defaults\.audit-version: Invalid value: "1\.25": must be "latest" or "v1\.x"/);
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  namespaces: [a, a]\n'), { message: 'exemptions.namespaces[1]: Duplicate value: "a"' });
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  namespaces: [Bad_NS]\n'), /exemptions\.namespaces\[0\]: Invalid value: "Bad_NS": a lowercase RFC 1123 label/);
  // Upstream's words: field.Required for an empty username; "must not contain dots" for a subdomain where a label belongs.
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  usernames: [""]\n'), { message: 'exemptions.usernames[0]: Invalid value: "": username must not be empty' });
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  usernames: [~]\n'), { message: 'exemptions.usernames[0]: Invalid value: "": username must not be empty' }, 'a null item is ""');
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  namespaces: [null]\n'), /^exemptions\.namespaces\[0\]: Invalid value: "": a lowercase RFC 1123 label/);
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  namespaces: [a.b]\n'), { message: 'exemptions.namespaces[0]: Invalid value: "a.b": must not contain dots' });
  t.throws(() => parseAdmissionConfig(head + `exemptions:\n  namespaces: [${'é'.repeat(32)}]\n`), /must be no more than 63 characters, a lowercase RFC 1123 label/, 'Go counts bytes');
  // Errors in upstream's order: enforce, warn, audit.
  t.throws(() => parseAdmissionConfig(head + 'defaults: {audit: a, warn: w, enforce: e, audit-version: x}\n'), {
    message: /^\[defaults\.enforce: .*"e".*, defaults\.warn: .*"w".*, defaults\.audit: .*"a".*, defaults\.audit-version: .*"x".*\]$/,
  });
  // Only an empty file means the defaults: one of comments or a null document is refused, as by the API server.
  for (const text of ['# nothing yet\n', '\n', '---\n', '~\n']) t.throws(() => parseAdmissionConfig(text), /holds no configuration/, JSON.stringify(text));
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  runtimeClasses: [a..b, ok]\n'), /RFC 1123 subdomain/);
  t.throws(() => parseAdmissionConfig(head + 'exemptions:\n  namespaces: x\n'), /exemptions\.namespaces must be a list of strings/);
  t.throws(() => parseAdmissionConfig('apiVersion: v1\nkind: PodSecurityConfiguration\n'), /write "apiVersion: pod-security\.admission\.config\.k8s\.io\/v1"/);
  t.throws(() => parseAdmissionConfig('apiVersion: pod-security.admission.config.k8s.io/v1\nkind: Foo\n'), /write "kind: PodSecurityConfiguration"/);
  t.throws(() => parseAdmissionConfig(head + 'defaults: {enforce: a, enforce: b}\n'), ConfigError);
  t.throws(() => parseAdmissionConfig('{not json'), /not valid JSON/);
  const multi = head + 'exemptions:\n  namespaces: [a, a, "B"]\n';
  t.throws(() => parseAdmissionConfig(multi), /^\[exemptions\.namespaces\[1\]: Duplicate value: "a", exemptions\.namespaces\[2\]: Invalid value: "B"/);
});

t.test('read as the API machinery reads it: the first YAML document, YAML 1.1, strict JSON', async (t) => {
  const head = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n';
  // go-yaml decodes the first document only: what follows it is not read.
  for (const rest of ['---\n' + head + 'defaults: {enforce: restricted}\n', '---\napiVersion: v1\nkind: ConfigMap\n', '---\n', '---\n: : [\n']) {
    t.equal(parseAdmissionConfig(head + 'defaults: {enforce: baseline}\n' + rest).defaults.enforce.level, 'baseline', JSON.stringify(rest));
  }
  t.equal(parseAdmissionConfig('# c\n---\n' + head + 'defaults: {enforce: baseline}\n').defaults.enforce.level, 'baseline');
  // An empty first document is null: refused, though a configuration follows.
  t.throws(() => parseAdmissionConfig('---\n---\n' + head), /holds no configuration/);
  // YAML 1.1 scalars: these are booleans and numbers to go-yaml, and no strings.
  for (const v of ['on', 'yes', 'n', '0b101', '1_000']) {
    t.throws(() => parseAdmissionConfig(head + `exemptions: {namespaces: [${v}]}\n`), /exemptions\.namespaces\[0\] must be a string, got a (boolean|number)/, v);
  }
  t.equal(parseAdmissionConfig(head + 'exemptions: {namespaces: ["on"]}\n').exemptions.namespaces.has('on'), true);
  t.equal(parseAdmissionConfig(head + 'defaults:\n  <<: {enforce: baseline}\n').defaults.enforce.level, 'baseline', 'merge keys');
  t.throws(() => parseAdmissionConfig(head + 'defaults:\n  enforce: baseline\n  enforce: restricted\n'), { message: 'key "enforce" already set in map' });
  // A text whose first non-space is "{" is JSON: one value, JSON's syntax only.
  const json = '{"apiVersion":"pod-security.admission.config.k8s.io/v1","kind":"PodSecurityConfiguration","defaults":{"enforce":"baseline"}';
  t.equal(parseAdmissionConfig('\n  ' + json + '}\n').defaults.enforce.level, 'baseline');
  t.throws(() => parseAdmissionConfig(json + ',}'), { message: "not valid JSON: invalid character '}' looking for beginning of object key string" });
  t.throws(() => parseAdmissionConfig("{apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration}"), /not valid JSON/);
  t.throws(() => parseAdmissionConfig(json + '}\n# c\n'), { message: "not valid JSON: invalid character '#' after top-level value" });
  t.throws(() => parseAdmissionConfig(json + '}' + json + '}'), { message: "not valid JSON: invalid character '{' after top-level value" });
  t.throws(() => parseAdmissionConfig(json + ',"defaults":{}}'), { message: 'duplicate field "defaults"' });
});

t.test('files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-config-'));
  t.throws(() => loadAdmissionConfigFile(join(dir, 'missing.yaml')), /cannot read configuration file .*missing\.yaml: ENOENT/);
  const f = join(dir, 'bad.yaml');
  writeFileSync(f, 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nextra: 1\n');
  t.throws(() => loadAdmissionConfigFile(f), /invalid configuration file .*bad\.yaml:3:1: unknown field "extra"/);
  // Every unknown field at once, as strict decoding lists them, with the invalid values besides, each at its line, in the file's order.
  writeFileSync(f, 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n  enfroce-version: latest\n  audit: strict\nexemptions:\n  namespace: [kube-system]\n');
  t.throws(() => loadAdmissionConfigFile(f), {
    message: `invalid configuration file ${f}: 3 problems:\n` +
      `  ${f}:5:3: unknown field "defaults.enfroce-version"; did you mean "enforce-version"?\n` +
      `  ${f}:6:3: defaults.audit: Invalid value: "strict": must be one of privileged, baseline, restricted\n` +
      `  ${f}:8:3: unknown field "exemptions.namespace"; did you mean "namespaces"?`,
  });
  // Values of the wrong type are listed with the rest.
  writeFileSync(f, 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: 1\n  enforc: baseline\n  audit: nope\nexemptions:\n  usernames: [1, ok]\n  namespaces: kube-system\n');
  t.throws(() => loadAdmissionConfigFile(f), {
    message: `invalid configuration file ${f}: 5 problems:\n` +
      `  ${f}:4:3: defaults.enforce must be a string, got a number\n` +
      `  ${f}:5:3: unknown field "defaults.enforc"; did you mean "enforce"?\n` +
      `  ${f}:6:3: defaults.audit: Invalid value: "nope": must be one of privileged, baseline, restricted\n` +
      `  ${f}:8:15: exemptions.usernames[0] must be a string, got a number\n` +
      `  ${f}:9:3: exemptions.namespaces must be a list of strings, got a string`,
  });
  // A section of the wrong shape, and unknown fields around the embedded configuration, are listed with the rest.
  writeFileSync(f, 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: [restricted]\nexemptions: 5\nextra: 1\n');
  t.throws(() => loadAdmissionConfigFile(f), {
    message: `invalid configuration file ${f}: 3 problems:\n  ${f}:3:1: defaults must be a mapping, got a list\n  ${f}:4:1: exemptions must be a mapping, got a number\n  ${f}:5:1: unknown field "extra"; allowed fields here: apiVersion, kind, defaults, exemptions`,
  });
  // The API server decodes an AdmissionConfiguration leniently: unknown fields around the
  // embedded configuration, and keys given twice, are only warned about; inside it, strictly.
  writeFileSync(f, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nextra: 1\nplugins:\n- name: PodSecurity\n  bogus: 2\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults: {enforce: strict}\n');
  t.throws(() => loadAdmissionConfigFile(f), {
    message: `invalid configuration file ${f}:10:16: defaults.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted`,
  });
  writeFileSync(f, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nextra: 1\nplugins:\n- name: PodSecurity\n  bogus: 2\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults: {enforce: restricted, enforce: baseline}\n');
  const lenient = loadAdmissionConfigFile(f);
  t.equal(lenient.defaults.enforce.level, 'baseline');
  t.same(lenient.warnings!.map((w) => configProblemText(w, 'unused')), [
    `${f}:3:1: unknown field "extra"; allowed fields here: apiVersion, kind, plugins`,
    `${f}:6:3: unknown field "plugins[0].bogus"; allowed fields here: name, path, configuration`,
    `${f}:10:37: key "enforce" is given twice; the API server keeps the last value`,
  ]);
  // A JSON file hands the embedded configuration on as written: a key given twice there is refused.
  const inner = '{"apiVersion":"pod-security.admission.config.k8s.io/v1","kind":"PodSecurityConfiguration","defaults":{"enforce":"restricted","enforce":"baseline"}}';
  writeFileSync(f, `{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AdmissionConfiguration","plugins":[{"name":"PodSecurity","configuration":${inner}}]}`);
  t.throws(() => loadAdmissionConfigFile(f), /duplicate field "enforce"/);
  writeFileSync(f, `{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AdmissionConfiguration","kind":"AdmissionConfiguration","plugins":[{"name":"PodSecurity","configuration":${inner.replace(',"enforce":"baseline"', '')}}]}`);
  t.equal(loadAdmissionConfigFile(f).defaults.enforce.level, 'restricted', 'a key given twice around it is not');
  t.throws(() => parseAdmissionConfig('apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: [{name: 5}]\n'), /plugins\[0\]\.name must be a string, got a number/);
  t.throws(() => parseAdmissionConfig('apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration: {}\n'), /plugins\[0\]\.configuration\.apiVersion is missing/);
  // `path`: the file it names, relative to this file's directory; `configuration` wins over it.
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'psc.yaml'), 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline}\n');
  const ac = (entry: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n${entry}`;
  writeFileSync(f, ac('  path: sub/psc.yaml\n'));
  t.equal(loadAdmissionConfigFile(f).defaults.enforce.level, 'baseline');
  writeFileSync(f, ac(`  path: ${join(dir, 'sub', 'psc.yaml')}\n`));
  t.equal(loadAdmissionConfigFile(f).defaults.enforce.level, 'baseline', 'absolute');
  writeFileSync(f, ac('  path: sub/psc.yaml\n  configuration: {apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, defaults: {enforce: restricted}}\n'));
  const both = loadAdmissionConfigFile(f);
  t.equal(both.defaults.enforce.level, 'restricted');
  t.match(both.warnings, [{ message: 'path "sub/psc.yaml" is not read: the API server takes the configuration given beside it', line: 5, column: 3 }]);
  writeFileSync(join(dir, 'sub', 'empty.yaml'), '');
  writeFileSync(f, ac('  path: sub/empty.yaml\n'));
  t.match(loadAdmissionConfigFile(f).warnings, [{ file: join(dir, 'sub', 'empty.yaml'), message: /^the file is empty/ }]);
  // A syntax error in the file path: names is placed in that file.
  writeFileSync(join(dir, 'sub', 'bad.yaml'), '# a\n# b\napiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline\n');
  writeFileSync(f, ac('  path: sub/bad.yaml\n'));
  t.throws(() => loadAdmissionConfigFile(f), { message: new RegExp(`^invalid configuration file ${join(dir, 'sub', 'bad.yaml')}:5:11: not valid YAML`) });
  for (const entry of ['  path: ""\n', '  configuration: null\n', '']) {
    writeFileSync(f, ac(entry));
    t.equal(loadAdmissionConfigFile(f).defaults.enforce.level, 'privileged', JSON.stringify(entry));
  }
  writeFileSync(f, ac('  path: sub/missing.yaml\n'));
  t.throws(() => loadAdmissionConfigFile(f), { message: `invalid configuration file ${f}:5:3: plugins[0].path: cannot read ${join(dir, 'sub', 'missing.yaml')}: ENOENT` });
  writeFileSync(join(dir, 'sub', 'psc.yaml'), 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nbogus: 1\n');
  writeFileSync(f, ac('  path: sub/psc.yaml\n'));
  t.throws(() => loadAdmissionConfigFile(f), { message: `invalid configuration file ${join(dir, 'sub', 'psc.yaml')}:3:1: unknown field "bogus"; allowed fields here: apiVersion, kind, defaults, exemptions` });
  // Of two PodSecurity entries, the API server takes the first.
  writeFileSync(f, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration: {apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, defaults: {enforce: baseline}}\n- name: PodSecurity\n  configuration: {apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, defaults: {enforce: strict}}\n');
  t.equal(loadAdmissionConfigFile(f).defaults.enforce.level, 'baseline');
  writeFileSync(f, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    exemptions: {namespaces: [ok, Bad]}\n');
  t.throws(() => loadAdmissionConfigFile(f), { message: new RegExp(`^invalid configuration file ${f}:8:35: exemptions\\.namespaces\\[1\\]: Invalid value: "Bad"`) }, 'inside an AdmissionConfiguration, at the item itself');
  // The message of the configuration itself, as the API server gives it, is unchanged.
  t.throws(() => parseAdmissionConfig('apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {audit: strict, warn: x}\n'),
    { message: '[defaults.warn: Invalid value: "x": must be one of privileged, baseline, restricted, defaults.audit: Invalid value: "strict": must be one of privileged, baseline, restricted]' });
});
