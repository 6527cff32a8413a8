import t from 'tap';
import { aggregateErrors, fieldErrorText, goQuote } from '../admission/gostrings.js';
import { levelVersionString, policyToEvaluate, DEFAULT_POLICY, type Policy } from '../admission/policy.js';
import { exemptNamespaceWarning, forbiddenMessage, invalidMessage, podWarning } from '../admission/messages.js';
import { formatVersion, LATEST, parseVersion, VERSION_ERROR } from '../engine/version.js';

const P = 'pod-security.kubernetes.io/';
const str = (p: Policy) => [p.enforce, p.audit, p.warn].map(levelVersionString).join(' ');

t.test('goQuote follows strconv.Quote', async (t) => {
  t.equal(goQuote('restricted:latest'), '"restricted:latest"');
  t.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  t.equal(goQuote('tab\there\nnl\x00\x7f'), '"tab\\there\\nnl\\x00\\x7f"');
  t.equal(goQuote('héllo ✓'), '"héllo ✓"');
  t.equal(goQuote('\u200b'), '"\\u200b"');
  // JSON's lone surrogate reaches Go as U+FFFD, a printable character; Unicode 17's U+20C1 is not printable to Go.
  t.equal(goQuote('a\ud800'), '"a\ufffd"');
  t.equal(goQuote('x\u20c1'), '"x\\u20c1"');
});

t.test('policyToEvaluate', async (t) => {
  t.equal(str(policyToEvaluate({}).policy), 'privileged:latest privileged:latest privileged:latest');
  t.equal(str(policyToEvaluate(null).policy), 'privileged:latest privileged:latest privileged:latest');

  let r = policyToEvaluate({ [`${P}enforce`]: 'baseline' });
  t.equal(str(r.policy), 'baseline:latest privileged:latest baseline:latest', 'warn defaults to a stricter enforce');
  r = policyToEvaluate({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.25' });
  t.equal(str(r.policy), 'restricted:v1.25 privileged:latest restricted:v1.25', 'warn copies the enforce version');
  r = policyToEvaluate({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.25', [`${P}warn-version`]: 'v1.20' });
  t.equal(str(r.policy), 'restricted:v1.25 privileged:latest restricted:v1.20', 'explicit warn-version wins');
  r = policyToEvaluate({ [`${P}enforce`]: 'restricted', [`${P}warn`]: 'baseline' });
  t.equal(str(r.policy), 'restricted:latest privileged:latest baseline:latest', 'explicit warn wins');
  r = policyToEvaluate({ [`${P}enforce-version`]: 'v1.22' });
  t.equal(str(r.policy), 'privileged:v1.22 privileged:latest privileged:latest', 'version alone does not default warn');

  r = policyToEvaluate({ [`${P}enforce`]: 'bogus', [`${P}audit`]: 'Baseline', [`${P}warn`]: 'x', [`${P}warn-version`]: 'v1.05' });
  t.equal(str(r.policy), 'restricted:latest privileged:latest privileged:latest', 'enforce fails closed, audit/warn open');
  t.same(r.errors.map(fieldErrorText), [
    'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted',
    'metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "Baseline": must be one of privileged, baseline, restricted',
    'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "x": must be one of privileged, baseline, restricted',
    'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v1.05": must be "latest" or "v1.x"',
  ]);
  t.match(aggregateErrors(r.errors), /^\[metadata\.labels.*, metadata\.labels.*\]$/);

  r = policyToEvaluate({ [`${P}enforce`]: 'bogus' });
  t.equal(str(r.policy), 'restricted:latest privileged:latest privileged:latest', 'an invalid enforce does not default warn');

  // Go's strconv.Atoi reads up to 2^63-1: such a version is valid, evaluated as the newest and shown as written.
  r = policyToEvaluate({ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.9223372036854775807', [`${P}warn-version`]: 'v1.9223372036854775808' });
  t.equal(str(r.policy), 'baseline:v1.9223372036854775807 privileged:latest baseline:latest');
  t.same(r.errors.map(fieldErrorText), ['metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v1.9223372036854775808": must be "latest" or "v1.x"']);
  for (const text of ['v1.10000000000000000000', 'v1.99999999999999999999', 'v1.100000000000000000000']) {
    t.same(parseVersion(text), { version: LATEST, error: VERSION_ERROR, outOfRange: true }, `${text}: more than 19 digits is past int64, so invalid`);
  }
  t.notOk(parseVersion('v1.9007199254740993').error);
  t.equal(formatVersion(parseVersion('v1.9007199254740993').version), 'v1.9007199254740993', 'past 2^53 the digits are kept');

  const defaults: Policy = { ...DEFAULT_POLICY, warn: { level: 'restricted', version: parseVersion('v1.30').version } };
  r = policyToEvaluate({ [`${P}enforce`]: 'baseline' }, defaults);
  t.equal(str(r.policy), 'baseline:latest privileged:latest restricted:v1.30', 'warn is not lowered to enforce');
  const sameLevel: Policy = { ...DEFAULT_POLICY, warn: { level: 'baseline', version: parseVersion('v1.30').version } };
  r = policyToEvaluate({ [`${P}enforce`]: 'baseline' }, sameLevel);
  t.equal(str(r.policy), 'baseline:latest privileged:latest baseline:v1.30', 'an enforce level equal to warn\'s is not stricter: warn keeps its version');
});

t.test('messages', async (t) => {
  t.equal(forbiddenMessage('', 'pods', 'p', 'x'), 'pods "p" is forbidden: x');
  t.equal(forbiddenMessage('', 'pods', '', 'x'), 'pods is forbidden: x');
  t.equal(forbiddenMessage('apps', 'deployments', 'd', 'x'), 'deployments.apps "d" is forbidden: x');
  const { errors } = policyToEvaluate({ [`${P}enforce`]: 'foo' });
  t.equal(
    invalidMessage('', 'Namespace', 'ns', errors),
    'Namespace "ns" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted',
  );
  t.equal(podWarning('a', 1, 'r'), 'a: r');
  t.equal(podWarning('a', 2, 'r'), 'a (and 1 other pod): r');
  t.equal(podWarning('a', 5, 'r'), 'a (and 4 other pods): r');

  const labels = {
    [`${P}enforce`]: 'restricted',
    [`${P}enforce-version`]: 'v1.0',
    [`${P}audit`]: 'restricted',
    [`${P}warn`]: 'baseline',
  };
  const { policy } = policyToEvaluate(labels);
  t.equal(
    exemptNamespaceWarning('test', policy, DEFAULT_POLICY, labels),
    'namespace "test" is exempt from Pod Security, and the policy (enforce=restricted:v1.0, audit=restricted:latest, warn=baseline:latest) will be ignored',
  );
  t.equal(exemptNamespaceWarning('test', policyToEvaluate({ [`${P}enforce`]: 'privileged' }).policy, DEFAULT_POLICY, {}), '');
  t.equal(exemptNamespaceWarning('test', DEFAULT_POLICY, DEFAULT_POLICY, {}), '');
  // Labels equal to non-privileged defaults are not worth a warning either.
  const defaults = policyToEvaluate({ [`${P}enforce`]: 'baseline' }).policy;
  t.equal(exemptNamespaceWarning('test', defaults, defaults, { [`${P}enforce`]: 'baseline' }), '');
  // Privileged ignores its version (LevelVersion.Equivalent): privileged:v1.20 is the default privileged:latest.
  const audited = { [`${P}enforce`]: 'baseline', [`${P}audit-version`]: 'v1.20' };
  t.equal(str(policyToEvaluate(audited).policy), 'baseline:latest privileged:v1.20 baseline:latest');
  t.equal(exemptNamespaceWarning('test', policyToEvaluate(audited).policy, defaults, audited), '', 'a privileged mode at another version is still the default');
});
