/**
 * The decision logic of upstream PodSecurity admission (Admission.Validate), independent of
 * transport: the webhook and tests feed it request attributes and injected lookups.
 */
import type { EvaluateOptions, EvaluationResult } from '../engine/api.js';
import { compareVersions, formatVersion, LATEST, parseVersion, type PolicyVersion } from '../engine/version.js';
import type { AdmissionConfig } from './config.js';
import { decodeObject, defaultKindForResource, extractPodSpecByType, isDecodedType, type DecodeResult, type GroupVersionKind, type JsonObject } from './extract.js';
import type { FieldError } from './gostrings.js';
import { goCompare } from './gostrings.js';
import {
  enforceMessage,
  exemptNamespaceWarning,
  existingPodsViolateWarning,
  forbiddenMessage,
  invalidCauses,
  invalidMessage,
  LIST_PODS_FAILED_WARNING,
  lookupNamespaceFailedMessage,
  podWarning,
  truncatedCheckWarning,
  wouldViolateMessage,
} from './messages.js';
import { aggregateErrors } from './gostrings.js';
import {
  enforceTightened,
  fullyPrivileged,
  levelVersionString,
  policyToEvaluate,
  sameLevelVersion,
  type Labels,
  type LevelVersion,
  type Policy,
} from './policy.js';

export const DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK = 3000;
export const DEFAULT_NAMESPACE_POD_CHECK_TIMEOUT_MS = 1000;

/** Ignored pod subresources; any other subresource carries a pod and is evaluated. */
export const IGNORED_POD_SUBRESOURCES: ReadonlySet<string> = new Set([
  'exec',
  'attach',
  'binding',
  'eviction',
  'log',
  'portforward',
  'proxy',
  'status',
]);

export const ANNOTATION_ENFORCE_POLICY = 'enforce-policy';
export const ANNOTATION_AUDIT_VIOLATIONS = 'audit-violations';
export const ANNOTATION_EXEMPT = 'exempt';
export const ANNOTATION_ERROR = 'error';

export interface PodEvaluator {
  evaluate(pod: unknown, options: EvaluateOptions): EvaluationResult;
  /** The newest policy version the rules know (`v1.N`), as createEvaluator's evaluators say. */
  readonly newestVersion?: string;
}

export interface AdmissionAttributes {
  /** CREATE, UPDATE, DELETE, CONNECT. */
  operation: string;
  group: string;
  version?: string;
  resource: string;
  subresource: string;
  /** The request kind's group and kind (used in 422 messages). */
  kindGroup?: string;
  kind?: string;
  /**
   * The request kind's version. Set (even to '') when the request kind is known: objects
   * without apiVersion or kind take the request kind's. Unset, they take the resource's.
   */
  kindVersion?: string;
  namespace: string;
  name: string;
  username: string;
  object?: unknown;
  oldObject?: unknown;
  /** Absolute deadline of the request (clock ms), from the webhook's `?timeout=`. */
  deadline?: number;
}

export interface Status {
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: 'Forbidden' | 'Invalid' | 'BadRequest' | 'InternalError';
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message: string; field?: string }[];
  };
}

export interface AdmissionResponse {
  allowed: boolean;
  status?: Status;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export type MetricMode = 'enforce' | 'audit' | 'warn';

export interface RequestLabels {
  request_operation: string;
  resource: string;
  subresource: string;
}

export type MetricEvent =
  | ({ type: 'evaluation'; decision: 'allow' | 'deny'; policy_level: string; policy_version: string; mode: MetricMode } & RequestLabels)
  | ({ type: 'exemption' } & RequestLabels)
  | ({ type: 'error'; fatal: boolean } & RequestLabels);

export interface AdmissionResult {
  response: AdmissionResponse;
  events: MetricEvent[];
  /** The namespace policy that applied, when one was looked up. */
  policy?: Policy;
}

export interface NamespaceLike {
  metadata?: { name?: string; labels?: Record<string, string> | null } | null;
}

export interface PodLike {
  metadata?: JsonObject | null;
  spec?: JsonObject | null;
}

export interface AdmissionOptions {
  /** The configuration, or a function returning the current one (for reloads). */
  config: AdmissionConfig | (() => AdmissionConfig);
  evaluator: PodEvaluator;
  /** Throws (or rejects) when the namespace cannot be found; deadline is the request's. */
  getNamespace(name: string, deadline?: number): NamespaceLike | Promise<NamespaceLike>;
  /** Lists a namespace's pods; should give up when the signal aborts. */
  listPods(namespace: string, signal: AbortSignal): Promise<PodLike[]>;
  now?: () => number;
  maxPodsToCheck?: number;
  podCheckTimeoutMs?: number;
  /**
   * The newest policy version this build knows; newer labels count as `future` in metrics.
   * Defaults to the evaluator's newestVersion (or, without one, to latest).
   */
  apiVersion?: PolicyVersion;
  /**
   * Told why a namespace lookup or a pod list failed: the response carries only upstream's
   * fixed wording, so the cause would otherwise be lost.
   */
  onError?(message: string, fields: { namespace: string; error: string }): void;
}

/** metav1.StatusDetails: its empty strings are omitted (omitempty), in Go's field order. */
function statusDetails(name: string, group: string, kind: string, causes?: NonNullable<Status['details']>['causes']): Status['details'] {
  const details: Status['details'] = {};
  if (name) details.name = name;
  if (group) details.group = group;
  if (kind) details.kind = kind;
  if (causes) details.causes = causes;
  return details;
}

function failure(reason: Status['reason'], code: number, message: string, details?: Status['details']): AdmissionResponse {
  const status: Status = { metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return { allowed: false, status };
}

// As upstream's errorResponse: the error annotation is the status message, then the cause if any.
function withErrorAnnotation(r: AdmissionResponse, err?: string): AdmissionResponse {
  const message = r.status!.message;
  r.auditAnnotations = { [ANNOTATION_ERROR]: err ? `${message}: ${err}` : message };
  return r;
}

function badRequest(message: string, err?: string): AdmissionResponse {
  return withErrorAnnotation(failure('BadRequest', 400, message), err);
}

function internalError(message: string, err?: string): AdmissionResponse {
  return withErrorAnnotation(failure('InternalError', 500, `Internal error occurred: ${message}`, { causes: [{ message }] }), err);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function list(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** Upstream isSignificantPodUpdate: only container counts and images matter. */
export function isSignificantPodUpdate(pod: JsonObject, oldPod: JsonObject): boolean {
  const spec = obj(pod.spec);
  const oldSpec = obj(oldPod.spec);
  for (const field of ['containers', 'initContainers'] as const) {
    const cur = list(spec[field]);
    const old = list(oldSpec[field]);
    if (cur.length !== old.length) return true;
    for (let i = 0; i < cur.length; i++) {
      if ((cur[i]!.image ?? '') !== (old[i]!.image ?? '')) return true;
    }
  }
  const oldEphemeral = list(oldSpec.ephemeralContainers);
  for (const c of list(spec.ephemeralContainers)) {
    const prev = oldEphemeral.find((o) => (o.name ?? '') === (c.name ?? ''));
    if (!prev) return true;
    if ((c.image ?? '') !== (prev.image ?? '')) return true;
  }
  return false;
}

function controllerUid(pod: PodLike): string | undefined {
  const refs = pod.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const ref of refs) {
    if (isObject(ref) && ref.controller === true) return typeof ref.uid === 'string' ? ref.uid : '';
  }
  return undefined;
}

function podName(pod: PodLike): string {
  const n = pod.metadata?.name;
  return typeof n === 'string' ? n : '';
}

function runtimeClassOf(spec: JsonObject | null | undefined): string {
  const rc = spec?.runtimeClassName;
  return typeof rc === 'string' ? rc : '';
}

export class Admission {
  private readonly opts: AdmissionOptions;
  private readonly now: () => number;
  private readonly apiVersion: PolicyVersion;

  constructor(opts: AdmissionOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.apiVersion = opts.apiVersion ?? evaluatorVersion(opts.evaluator);
  }

  private get config(): AdmissionConfig {
    const c = this.opts.config;
    return typeof c === 'function' ? c() : c;
  }

  /** Dispatch as upstream's Validate: namespaces, pods, and everything else as a pod controller. */
  async validate(attrs: AdmissionAttributes): Promise<AdmissionResult> {
    return this.decide(attrs);
  }

  /**
   * Like validate, but synchronous when nothing has to wait (the namespace is in the cache),
   * which spares each request several promise hops.
   */
  decide(attrs: AdmissionAttributes): AdmissionResult | Promise<AdmissionResult> {
    const ctx = new RequestContext(attrs, this.config);
    let response: AdmissionResponse | Promise<AdmissionResponse>;
    if (attrs.group === '' && attrs.resource === 'namespaces') {
      response = this.validateNamespace(ctx);
    } else if (attrs.group === '' && attrs.resource === 'pods') {
      response = this.validatePod(ctx);
    } else {
      response = this.validatePodController(ctx);
    }
    return isPromise(response) ? response.then((r) => ctx.result(r)) : ctx.result(response);
  }

  private exemptNamespace(cfg: AdmissionConfig, ns: string): boolean {
    return ns !== '' && cfg.exemptions.namespaces.has(ns);
  }

  private exemptUser(cfg: AdmissionConfig, user: string): boolean {
    return user !== '' && cfg.exemptions.usernames.has(user);
  }

  private exemptRuntimeClass(cfg: AdmissionConfig, rc: string): boolean {
    return rc !== '' && cfg.exemptions.runtimeClasses.has(rc);
  }

  private async validateNamespace(ctx: RequestContext): Promise<AdmissionResponse> {
    const { attrs, cfg } = ctx;
    if (attrs.subresource !== '') return { allowed: true };
    const decoded = decodeObject(attrs.object, requestKind(attrs));
    if (!isNamespace(decoded)) return decodeFailure(decoded, 'failed to decode object', 'failed to decode namespace');
    const namespace = decoded.decoded.object as NamespaceLike;
    const labels = namespace.metadata?.labels ?? null;
    // Upstream names the namespace by its object alone (the API server has named it by then).
    const nsName = namespace.metadata?.name ?? '';
    // The API server sets a namespace request's namespace to its name; upstream reads only that.
    const requestNamespace = attrs.namespace;
    const { policy: newPolicy, errors: newErrs } = policyToEvaluate(labels, cfg.defaults);
    ctx.policy = newPolicy;

    const exemptWarning = (): AdmissionResponse => {
      const w = exemptNamespaceWarning(nsName, newPolicy, cfg.defaults, labels);
      return w ? { allowed: true, warnings: [w] } : { allowed: true };
    };

    switch (attrs.operation) {
      case 'CREATE':
        if (newErrs.length > 0) return this.invalid(attrs, newErrs);
        if (this.exemptNamespace(cfg, requestNamespace)) return exemptWarning();
        return { allowed: true };
      case 'UPDATE': {
        const oldDecoded = decodeObject(attrs.oldObject, requestKind(attrs));
        // Upstream's wording, double space included.
        if (!isNamespace(oldDecoded)) return decodeFailure(oldDecoded, 'failed to decode  old object', 'failed to decode  old namespace');
        const oldLabels = (oldDecoded.decoded.object as NamespaceLike).metadata?.labels ?? null;
        const { policy: oldPolicy, errors: oldErrs } = policyToEvaluate(oldLabels, cfg.defaults);
        // Only new label errors are rejected, so unrelated edits of a broken namespace still work.
        if (newErrs.length > 0 && (oldErrs.length === 0 || !sameErrors(newErrs, oldErrs))) {
          return this.invalid(attrs, newErrs);
        }
        if (!enforceTightened(oldPolicy.enforce, newPolicy.enforce)) return { allowed: true };
        if (this.exemptNamespace(cfg, requestNamespace)) return exemptWarning();
        const warnings = await this.evaluatePodsInNamespace(ctx, nsName, newPolicy.enforce);
        return warnings.length > 0 ? { allowed: true, warnings } : { allowed: true };
      }
      default:
        return { allowed: true };
    }
  }

  private invalid(attrs: AdmissionAttributes, errors: FieldError[]): AdmissionResponse {
    const group = attrs.kindGroup ?? '';
    // The request's own kind, as upstream's error is made of it: none without one.
    const kind = attrs.kind ?? '';
    return failure('Invalid', 422, invalidMessage(group, kind, attrs.name, errors), statusDetails(attrs.name, group, kind, invalidCauses(errors)));
  }

  /** Looks up the namespace policy, then continues with next (synchronously on a cache hit). */
  private withPolicy(
    ctx: RequestContext,
    fatal: boolean,
    next: (policy: Policy, errors: FieldError[]) => AdmissionResponse,
  ): AdmissionResponse | Promise<AdmissionResponse> {
    const { attrs } = ctx;
    let ns: NamespaceLike | Promise<NamespaceLike>;
    try {
      ns = this.opts.getNamespace(attrs.namespace, attrs.deadline);
    } catch (err) {
      return this.lookupFailed(ctx, fatal, err);
    }
    if (isPromise(ns)) {
      return ns.then(
        (n) => this.applyPolicy(ctx, n, next),
        (err) => this.lookupFailed(ctx, fatal, err),
      );
    }
    return this.applyPolicy(ctx, ns, next);
  }

  private applyPolicy(ctx: RequestContext, ns: NamespaceLike, next: (policy: Policy, errors: FieldError[]) => AdmissionResponse): AdmissionResponse {
    const r = this.namespacePolicy(ns?.metadata?.labels ?? null, ctx.cfg.defaults);
    ctx.policy = r.policy;
    return next(r.policy, r.errors);
  }

  // The namespace cache hands out the same labels object until the namespace changes, so its
  // policy is parsed once per version of the namespace (and of the configuration's defaults).
  private readonly policies = new WeakMap<object, { defaults: Policy; result: ReturnType<typeof policyToEvaluate> }>();

  private namespacePolicy(labels: Labels, defaults: Policy): ReturnType<typeof policyToEvaluate> {
    if (labels === null || labels === undefined) return policyToEvaluate(labels, defaults);
    const hit = this.policies.get(labels);
    if (hit && hit.defaults === defaults) return hit.result;
    const result = policyToEvaluate(labels, defaults);
    this.policies.set(labels, { defaults, result });
    return result;
  }

  private lookupFailed(ctx: RequestContext, fatal: boolean, err: unknown): AdmissionResponse {
    const { attrs } = ctx;
    ctx.error(true);
    this.opts.onError?.('failed to fetch pod namespace', { namespace: attrs.namespace, error: errorText(err) });
    const detail = `${lookupNamespaceFailedMessage(attrs.namespace)}: ${errorText(err)}`;
    if (fatal) return internalError(lookupNamespaceFailedMessage(attrs.namespace), errorText(err));
    return { allowed: true, auditAnnotations: { [ANNOTATION_ERROR]: detail } };
  }

  /** Namespace, then user exemptions, as upstream checks them for pods and controllers. */
  private exemptRequest(ctx: RequestContext): AdmissionResponse | undefined {
    const { attrs, cfg } = ctx;
    const by = this.exemptNamespace(cfg, attrs.namespace) ? 'namespace' : this.exemptUser(cfg, attrs.username) ? 'user' : undefined;
    if (!by) return undefined;
    ctx.exemption();
    return { allowed: true, auditAnnotations: { [ANNOTATION_EXEMPT]: by } };
  }

  private validatePod(ctx: RequestContext): AdmissionResponse | Promise<AdmissionResponse> {
    const { attrs } = ctx;
    if (IGNORED_POD_SUBRESOURCES.has(attrs.subresource)) return { allowed: true };
    const exempt = this.exemptRequest(ctx);
    if (exempt) return exempt;
    return this.withPolicy(ctx, true, (policy, errors) => {
      if (errors.length === 0 && fullyPrivileged(policy)) {
        ctx.evaluation('allow', policy.enforce, 'enforce', this.apiVersion);
        return { allowed: true, auditAnnotations: { [ANNOTATION_ENFORCE_POLICY]: 'privileged:latest' } };
      }
      const kind = requestKind(attrs);
      const decoded = decodeObject(attrs.object, kind);
      if (!isPod(decoded)) {
        ctx.error(true);
        return decodeFailure(decoded, 'failed to decode object', 'failed to decode pod');
      }
      const pod = decoded.decoded.object;
      if (attrs.operation === 'UPDATE') {
        const oldDecoded = decodeObject(attrs.oldObject, kind);
        if (!isPod(oldDecoded)) {
          ctx.error(true);
          return decodeFailure(oldDecoded, 'failed to decode old object', 'failed to decode old pod');
        }
        if (!isSignificantPodUpdate(pod, oldDecoded.decoded.object)) return { allowed: true };
      }
      return this.evaluatePod(ctx, policy, errors, obj(pod.metadata), obj(pod.spec), true);
    });
  }

  private validatePodController(ctx: RequestContext): AdmissionResponse | Promise<AdmissionResponse> {
    const { attrs } = ctx;
    if (attrs.subresource !== '') return { allowed: true };
    const exempt = this.exemptRequest(ctx);
    if (exempt) return exempt;
    return this.withPolicy(ctx, false, (policy, errors) => {
      if (errors.length === 0 && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') {
        return { allowed: true };
      }
      // Upstream counts these as fatal in metrics although the request is allowed.
      const decoded = decodeObject(attrs.object, requestKind(attrs));
      if (!('decoded' in decoded)) {
        ctx.error(true);
        const why = 'error' in decoded ? decoded.error : 'the request has no object';
        return { allowed: true, auditAnnotations: { [ANNOTATION_ERROR]: `failed to decode object: ${why}` } };
      }
      let extracted;
      try {
        // By the object's type, as upstream: a Pod sent as a Deployment is still evaluated.
        extracted = extractPodSpecByType(decoded.decoded);
      } catch (err) {
        ctx.error(true);
        return { allowed: true, auditAnnotations: { [ANNOTATION_ERROR]: `failed to extract pod template: ${errorText(err)}` } };
      }
      if (extracted === null) return { allowed: true };
      return this.evaluatePod(ctx, policy, errors, extracted.metadata, extracted.spec, false);
    });
  }

  private evaluatePod(
    ctx: RequestContext,
    policy: Policy,
    policyErrors: FieldError[],
    metadata: JsonObject,
    spec: JsonObject,
    enforce: boolean,
  ): AdmissionResponse {
    const { cfg } = ctx;
    if (this.exemptRuntimeClass(cfg, runtimeClassOf(spec))) {
      ctx.exemption();
      return { allowed: true, auditAnnotations: { [ANNOTATION_EXEMPT]: 'runtimeClass' } };
    }
    const annotations: Record<string, string> = {};
    if (policyErrors.length > 0) {
      annotations[ANNOTATION_ERROR] = `Failed to parse policy: ${aggregateErrors(policyErrors)}`;
      ctx.error(false);
    }
    const pod = { metadata, spec };
    // At most three level:versions per request, so a short list beats a keyed map.
    const seen: LevelVersion[] = [];
    const results: EvaluationResult[] = [];
    const run = (lv: LevelVersion): EvaluationResult => {
      for (let i = 0; i < seen.length; i++) if (sameLevelVersion(seen[i]!, lv)) return results[i]!;
      const r = this.opts.evaluator.evaluate(pod, { level: lv.level, version: formatVersion(lv.version), defaulting: 'none' });
      seen.push(lv);
      results.push(r);
      return r;
    };
    let response: AdmissionResponse = { allowed: true };
    try {
      if (enforce) {
        annotations[ANNOTATION_ENFORCE_POLICY] = levelVersionString(policy.enforce);
        const r = run(policy.enforce);
        if (!r.allowed) {
          const { attrs } = ctx;
          response = failure(
            'Forbidden',
            403,
            forbiddenMessage(attrs.group, attrs.resource, attrs.name, enforceMessage(policy.enforce, r.forbiddenDetail)),
            statusDetails(attrs.name, attrs.group, attrs.resource),
          );
          ctx.evaluation('deny', policy.enforce, 'enforce', this.apiVersion);
        } else {
          ctx.evaluation('allow', policy.enforce, 'enforce', this.apiVersion);
        }
      }
      const audit = run(policy.audit);
      if (!audit.allowed) {
        annotations[ANNOTATION_AUDIT_VIOLATIONS] = wouldViolateMessage(policy.audit, audit.forbiddenDetail);
        ctx.evaluation('deny', policy.audit, 'audit', this.apiVersion);
      }
      // No warnings on a request that is denied anyway.
      if (response.allowed) {
        const warn = run(policy.warn);
        if (!warn.allowed) {
          response.warnings = [wouldViolateMessage(policy.warn, warn.forbiddenDetail)];
          ctx.evaluation('deny', policy.warn, 'warn', this.apiVersion);
        }
      }
    } catch (err) {
      // The evaluator rejected the object's content: fail closed for pods, open for templates.
      ctx.error(enforce);
      const msg = `failed to evaluate pod: ${errorText(err)}`;
      if (enforce) return badRequest('failed to decode pod', msg);
      return { allowed: true, auditAnnotations: { [ANNOTATION_ERROR]: msg } };
    }
    response.auditAnnotations = annotations;
    return response;
  }

  /** Upstream EvaluatePodsInNamespace: a bounded dry run of the new enforce level. */
  async evaluatePodsInNamespace(ctx: RequestContext | null, namespace: string, enforce: LevelVersion): Promise<string[]> {
    const cfg = ctx?.cfg ?? this.config;
    let timeout = this.opts.podCheckTimeoutMs ?? DEFAULT_NAMESPACE_POD_CHECK_TIMEOUT_MS;
    const requestDeadline = ctx?.attrs.deadline;
    if (requestDeadline !== undefined) {
      // Never use more than half of what is left of the request.
      const half = (requestDeadline - this.now()) / 2;
      if (timeout > half) timeout = Math.max(0, half);
    }
    // A request whose deadline has passed lists nothing: client-go fails before it asks.
    if (timeout <= 0) {
      this.opts.onError?.('failed to list pods', { namespace, error: 'the request deadline has passed' });
      return [LIST_PODS_FAILED_WARNING];
    }
    const deadline = this.now() + timeout;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error('pod check deadline exceeded')), Math.max(0, timeout));
    let pods: PodLike[];
    try {
      pods = await raceAbort(this.opts.listPods(namespace, abort.signal), abort.signal);
    } catch (err) {
      this.opts.onError?.('failed to list pods', { namespace, error: errorText(err) });
      return [LIST_PODS_FAILED_WARNING];
    } finally {
      clearTimeout(timer);
    }

    let prioritized = prioritizePods(pods, (p) => this.exemptRuntimeClass(cfg, runtimeClassOf(p.spec)));
    const totalPods = prioritized.length;
    const max = this.opts.maxPodsToCheck ?? DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK;
    if (prioritized.length > max) prioritized = prioritized.slice(0, max);

    let checked = prioritized.length;
    const reasons: string[] = [];
    const counts = new Map<string, { podName: string; count: number }>();
    const level = enforce.level;
    const version = formatVersion(enforce.version);
    for (let i = 0; i < prioritized.length; i++) {
      const pod = prioritized[i]!;
      let r: EvaluationResult;
      try {
        r = this.opts.evaluator.evaluate({ metadata: obj(pod.metadata), spec: obj(pod.spec) }, { level, version, defaulting: 'none' });
      } catch {
        r = { allowed: true } as EvaluationResult;
      }
      if (!r.allowed) {
        const reason = r.forbiddenReason;
        const name = podName(pod);
        const c = counts.get(reason);
        if (!c) {
          counts.set(reason, { podName: name, count: 1 });
          reasons.push(reason);
        } else {
          if (goCompare(name, c.podName) < 0) c.podName = name;
          c.count++;
        }
      }
      if (this.now() >= deadline) {
        checked = i + 1;
        break;
      }
    }

    const warnings: string[] = [];
    if (checked < totalPods) warnings.push(truncatedCheckWarning(checked, totalPods));
    if (reasons.length > 0) warnings.push(existingPodsViolateWarning(namespace, enforce));
    const decorated = reasons.map((r) => {
      const c = counts.get(r)!;
      return podWarning(c.podName, c.count, r);
    });
    decorated.sort(goCompare);
    return warnings.concat(decorated);
  }
}

/**
 * Upstream prioritizePods: drop exempt-runtimeClass pods, check one pod per controller first,
 * then unowned pods in order, and extra replicas of the same controller last.
 */
export function prioritizePods<P extends PodLike>(pods: readonly P[], exempt: (p: P) => boolean): P[] {
  const first: P[] = [];
  const duplicates: P[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    if (exempt(pod)) continue;
    const uid = controllerUid(pod);
    if (uid === undefined) {
      first.push(pod);
      continue;
    }
    if (seen.has(uid)) {
      duplicates.push(pod);
      continue;
    }
    seen.add(uid);
    first.push(pod);
  }
  return first.concat(duplicates);
}

/** Undecodable objects carry the decode error as an audit annotation; wrong types do not. */
function decodeFailure(r: DecodeResult, undecodable: string, wrongType: string): AdmissionResponse {
  return 'error' in r ? badRequest(undecodable, r.error) : badRequest(wrongType);
}

type Decoded = Extract<DecodeResult, { decoded: unknown }>;

function isPod(r: DecodeResult): r is Decoded {
  return 'decoded' in r && isDecodedType(r.decoded, '', 'Pod');
}

function isNamespace(r: DecodeResult): r is Decoded {
  return 'decoded' in r && isDecodedType(r.decoded, '', 'Namespace');
}

/** The default for an object's missing apiVersion and kind: upstream passes the request's kind. */
function requestKind(attrs: AdmissionAttributes): GroupVersionKind {
  if (attrs.kindVersion === undefined) return defaultKindForResource(attrs.group, attrs.resource);
  return { group: attrs.kindGroup ?? '', version: attrs.kindVersion, kind: attrs.kind ?? '' };
}

function evaluatorVersion(evaluator: PodEvaluator): PolicyVersion {
  const v = typeof evaluator.newestVersion === 'string' ? parseVersion(evaluator.newestVersion) : undefined;
  return v && !v.error ? v.version : LATEST;
}

function sameErrors(a: FieldError[], b: FieldError[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((e, i) => e.field === b[i]!.field && e.value === b[i]!.value && e.detail === b[i]!.detail && e.type === b[i]!.type);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Upstream metrics' policy_version label. */
export function metricVersionLabel(lv: LevelVersion, apiVersion: PolicyVersion): string {
  if (lv.version.latest || lv.level === 'privileged') return 'latest';
  return compareVersions(apiVersion, lv.version) >= 0 ? formatVersion(lv.version) : 'future';
}

function operationLabel(op: string): string {
  return op.toLowerCase();
}

function resourceLabel(group: string, resource: string): string {
  if (group === '' && resource === 'pods') return 'pod';
  if (group === '' && resource === 'namespaces') return 'namespace';
  return 'controller';
}

export class RequestContext {
  readonly events: MetricEvent[] = [];
  policy?: Policy;
  private readonly labels: RequestLabels;
  constructor(
    readonly attrs: AdmissionAttributes,
    readonly cfg: AdmissionConfig,
  ) {
    this.labels = {
      request_operation: operationLabel(attrs.operation),
      resource: resourceLabel(attrs.group, attrs.resource),
      subresource: attrs.subresource,
    };
  }
  result(response: AdmissionResponse): AdmissionResult {
    const result: AdmissionResult = { response, events: this.events };
    if (this.policy) result.policy = this.policy;
    return result;
  }
  evaluation(decision: 'allow' | 'deny', lv: LevelVersion, mode: MetricMode, apiVersion: PolicyVersion): void {
    const l = this.labels;
    this.events.push({
      type: 'evaluation',
      decision,
      policy_level: lv.level,
      policy_version: metricVersionLabel(lv, apiVersion),
      mode,
      request_operation: l.request_operation,
      resource: l.resource,
      subresource: l.subresource,
    });
  }
  exemption(): void {
    const l = this.labels;
    this.events.push({ type: 'exemption', request_operation: l.request_operation, resource: l.resource, subresource: l.subresource });
  }
  error(fatal: boolean): void {
    const l = this.labels;
    this.events.push({ type: 'error', fatal, request_operation: l.request_operation, resource: l.resource, subresource: l.subresource });
  }
}
