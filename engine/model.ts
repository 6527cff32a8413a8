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
  fact?: Fact;
  path?: string;
  operator: string;
  value: unknown;
  default?: string | number | boolean;
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
  fact?: 'element' | 'pod';
  path: string;
  default?: string | number | boolean;
  firstKeyOf?: string[] | { set: string };
  otherwise?: string;
  format?: 'plain' | 'keyEqualsQuotedValue';
}

export interface FindingDef {
  in: string | string[];
  when: Condition;
  values?: string[];
  valueDefault?: string | number | boolean;
  record?: RecordDef;
  at?: string;
  sortSubjects?: boolean;
  messageOnly?: boolean;
}

export type TextNode =
  | string
  | { when?: string[]; text?: string; join?: string; parts?: TextNode[]; oneOf?: TextNode[] };

export interface MessageDef {
  reason: string;
  detail?: TextNode;
}

/** One entry of a rule's `versions`, with what it inherits filled in. */
export interface ResolvedVersion {
  /** The minor version the entry starts at: it applies from v1.<since>. */
  since: number;
  note?: string;
  overrides: string[];
  exemptWhen: Condition | null;
  sets: Record<string, unknown[]>;
  findings: Record<string, FindingDef>;
  message: MessageDef;
  /** @internal JSON Pointer of this entry in its file, for error positions. */
  pointer: string;
  /** @internal Pointers of the (possibly earlier) entries that defined the inherited parts. */
  findingsPointer: string;
  /** @internal */
  messagePointer: string;
  /** @internal */
  exemptPointer: string;
}

/** A rule as its file defines it (the bundled rules and the user's `rulesDirs`). */
export interface RuleDef {
  id: string;
  level: RuleLevel;
  title: string;
  summary: string;
  standard: string;
  /** How to make a pod pass, for people (optional in rule files). */
  fix?: string;
  /** The rule file's path. */
  file: string;
  /** Oldest first. */
  versions: ResolvedVersion[];
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
