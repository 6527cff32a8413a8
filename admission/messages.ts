/** Upstream admission-layer wordings (admission/admission.go, apimachinery status errors). */
import { aggregateErrors, fieldErrorBody, goQuote, type FieldError } from './gostrings.js';
import {
  AUDIT_LEVEL_LABEL,
  AUDIT_VERSION_LABEL,
  ENFORCE_LEVEL_LABEL,
  ENFORCE_VERSION_LABEL,
  WARN_LEVEL_LABEL,
  WARN_VERSION_LABEL,
  equivalentPolicy,
  fullyPrivileged,
  levelVersionString,
  type Labels,
  type LevelVersion,
  type Policy,
} from './policy.js';

/** `violates PodSecurity "restricted:latest": <detail>` (enforce). */
export function enforceMessage(lv: LevelVersion, forbiddenDetail: string): string {
  // Joined: a template literal would leave a rope of a dozen pieces in every report entry.
  return ['violates PodSecurity ', goQuote(levelVersionString(lv)), ': ', forbiddenDetail].join('');
}

/** `would violate PodSecurity "…": <detail>` (warn and audit). */
export function wouldViolateMessage(lv: LevelVersion, forbiddenDetail: string): string {
  return ['would violate PodSecurity ', goQuote(levelVersionString(lv)), ': ', forbiddenDetail].join('');
}

/** GroupResource.String(): `pods`, `deployments.apps`. */
export function groupResourceString(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** apierrors.NewForbidden(...).Error(). */
export function forbiddenMessage(group: string, resource: string, name: string, err: string): string {
  const gr = groupResourceString(group, resource);
  if (!gr) return `forbidden: ${err}`;
  if (!name) return `${gr} is forbidden: ${err}`;
  return `${gr} ${goQuote(name)} is forbidden: ${err}`;
}

/** GroupKind.String(): `Namespace`, `Deployment.apps`. */
export function groupKindString(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

/** apierrors.NewInvalid(...).Error(). */
export function invalidMessage(group: string, kind: string, name: string, errors: readonly FieldError[]): string {
  const gk = groupKindString(group, kind);
  if (errors.length === 0) return `${gk} ${goQuote(name)} is invalid`;
  return `${gk} ${goQuote(name)} is invalid: ${aggregateErrors(errors)}`;
}

export function invalidCauses(errors: readonly FieldError[]): { reason: string; message: string; field: string }[] {
  return errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
}

export function lookupNamespaceFailedMessage(namespace: string): string {
  return `failed to lookup namespace ${goQuote(namespace)}`;
}

export const LIST_PODS_FAILED_WARNING = 'failed to list pods while checking new PodSecurity enforce level';

export function truncatedCheckWarning(checked: number, total: number): string {
  return `new PodSecurity enforce level only checked against the first ${checked} of ${total} existing pods`;
}

export function existingPodsViolateWarning(namespace: string, enforce: LevelVersion): string {
  return `existing pods in namespace ${goQuote(namespace)} violate the new PodSecurity enforce level ${goQuote(levelVersionString(enforce))}`;
}

/** `<pod>: reason`, `<pod> (and 1 other pod): reason`, `<pod> (and N other pods): reason`. */
export function podWarning(podName: string, count: number, reason: string): string {
  if (count <= 0) return reason;
  if (count === 1) return `${podName}: ${reason}`;
  if (count === 2) return `${podName} (and 1 other pod): ${reason}`;
  return `${podName} (and ${count - 1} other pods): ${reason}`;
}

function labelSet(labels: Labels, key: string): boolean {
  return labels != null && Object.prototype.hasOwnProperty.call(labels, key);
}

/**
 * Upstream exemptNamespaceWarning: empty when the policy is fully privileged or equivalent to
 * the defaults; otherwise lists the explicitly labelled, non-privileged modes.
 */
export function exemptNamespaceWarning(namespace: string, policy: Policy, defaults: Policy, labels: Labels): string {
  if (fullyPrivileged(policy) || equivalentPolicy(policy, defaults)) return '';
  const parts: string[] = [];
  if (policy.enforce.level !== 'privileged' && (labelSet(labels, ENFORCE_LEVEL_LABEL) || labelSet(labels, ENFORCE_VERSION_LABEL))) {
    parts.push(`enforce=${levelVersionString(policy.enforce)}`);
  }
  if (policy.audit.level !== 'privileged' && (labelSet(labels, AUDIT_LEVEL_LABEL) || labelSet(labels, AUDIT_VERSION_LABEL))) {
    parts.push(`audit=${levelVersionString(policy.audit)}`);
  }
  if (policy.warn.level !== 'privileged' && (labelSet(labels, WARN_LEVEL_LABEL) || labelSet(labels, WARN_VERSION_LABEL))) {
    parts.push(`warn=${levelVersionString(policy.warn)}`);
  }
  return `namespace ${goQuote(namespace)} is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`;
}
