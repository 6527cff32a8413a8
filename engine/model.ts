/** The rule tables as read from YAML, after inheritance between versions is resolved. */
import type { FieldPath, RuleLevel } from './api.js';

/** The facts a condition may read, and what each is: the rule schema and docs/rules.md say it from here. */
export const FACTS = {
  element: 'the subject being walked, and the default',
  pod: "the whole pod: for a workload, its pod template, `metadata` and `spec`, not the workload's own metadata",
  key: "the subject's key in its parent",
  value: 'the value being checked, in findings with `values`',
} as const;
export type Fact = keyof typeof FACTS;

/** The API server's defaults applied before the checks: for a Pod as created, for a workload's pod template, or none (already defaulted). */
export const DEFAULTING_MODES = ['pod', 'template', 'none'] as const;
export type DefaultingMode = (typeof DEFAULTING_MODES)[number];
/** The modes that default something: what a default's `objects` names. */
export const DEFAULTED_OBJECTS = ['pod', 'template'] as const satisfies readonly DefaultingMode[];

export interface LeafCondition {
  readonly fact?: Fact;
  readonly path?: string;
  readonly operator: string;
  readonly value: unknown;
  readonly default?: string | number | boolean;
}
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | LeafCondition;

export interface ScopeDef {
  id: string;
  description?: string;
  paths: string[];
  name?: string;
  label: { singular: string; plural: string; names: boolean };
}

export interface RecordDef {
  readonly fact?: 'element' | 'pod';
  readonly path: string;
  readonly default?: string | number | boolean;
  readonly firstKeyOf?: string[] | { set: string };
  readonly otherwise?: string;
  readonly format?: 'plain' | 'keyEqualsQuotedValue';
}

export interface FindingDef {
  readonly in: string | string[];
  readonly when: Condition;
  readonly values?: string[];
  readonly valueDefault?: string | number | boolean;
  readonly record?: RecordDef;
  readonly at?: string;
  readonly sortSubjects?: boolean;
  readonly messageOnly?: boolean;
}

export type TextNode =
  | string
  | { when?: string[]; text?: string; join?: string; parts?: TextNode[]; oneOf?: TextNode[] };

export interface MessageDef {
  readonly reason: string;
  readonly detail?: TextNode;
}

/** One entry of a rule's `versions`, with what it inherits filled in. */
export interface ResolvedVersion {
  /** The minor version the entry starts at: it applies from v1.<since>. */
  readonly since: number;
  readonly note?: string;
  readonly overrides: readonly string[];
  readonly exemptWhen: Condition | null;
  readonly sets: Record<string, unknown[]>;
  readonly findings: Record<string, FindingDef>;
  readonly message: MessageDef;
  /** @internal JSON Pointer of this entry in its file, for error positions. */
  readonly pointer: string;
  /** @internal Pointers of the (possibly earlier) entries that defined the inherited parts. */
  readonly findingsPointer: string;
  /** @internal */
  readonly messagePointer: string;
  /** @internal */
  readonly exemptPointer: string;
}

/** A rule as its file defines it (the bundled rules and the user's `rulesDirs`). */
export interface RuleDef {
  readonly id: string;
  readonly level: RuleLevel;
  readonly title: string;
  readonly summary: string;
  readonly standard: string;
  /** How to make a pod pass, for people (optional in rule files). */
  readonly fix?: string;
  /** The rule file's path. */
  readonly file: string;
  /** Oldest first. */
  readonly versions: readonly ResolvedVersion[];
}

export interface DefaultingDef {
  id: string;
  description?: string;
  objects: (typeof DEFAULTED_OBJECTS)[number][];
  in: string | string[];
  /** Path, in the element, of its name: what `{name}` stands for in the condition's paths. */
  name?: string;
  when: Condition;
  /** Each sets one field of the element: `key` (a key of the element) or `path` (a path in it). */
  set: { key?: string; path?: string; value?: unknown; from?: string }[];
}

/** One subject that breaks a finding, with what it recorded and where. */
export interface Offender {
  scope: number;
  name: string;
  values: string[];
  fields: FieldPath[];
}
