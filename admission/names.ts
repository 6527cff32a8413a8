/**
 * apimachinery's rules for names, label keys and label values, in its words: IsDNS1123Label and
 * IsDNS1123Subdomain (util/validation), IsLabelKey and IsLabelValue (api/validate/content), and
 * the name functions that ValidateObjectMeta applies to `metadata.name` and `metadata.generateName`.
 * A valid value allocates nothing.
 */

// The expressions the messages quote, which are what upstream tests. A regular expression runs as
// native code from its first use, where a loop over characters is slow until V8 optimizes it
// (most of the first few thousand objects of a run). Anchored, each runs in time linear in the length.
const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
/** A label name with an optional subdomain and '/' before it: the usual label key, told valid in one test. */
const LABEL_KEY = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_KEY_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Go's len(): names are measured in UTF-8 bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * How a length limit is worded: util/validation's MaxLenError says characters (names), the
 * content package's says bytes (label keys and values, and a label key's prefix).
 */
type Unit = 'characters' | 'bytes';

const NONE: readonly string[] = Object.freeze([]);

/** IsDNS1123Label: a name that would be a valid subdomain fails only for its dots. */
export function dns1123LabelErrors(name: string, unit: Unit = 'characters'): readonly string[] {
  // What the expressions accept is ASCII: its length in bytes is its length.
  const ok = DNS1123_LABEL.test(name);
  if (ok && name.length <= 63) return NONE;
  const long = ok || byteLength(name) > 63;
  const errs: string[] = [];
  if (long) errs.push(`must be no more than 63 ${unit}`);
  if (!ok) errs.push(DNS1123_SUBDOMAIN.test(name) ? 'must not contain dots' : DNS1123_LABEL_MSG);
  return errs;
}

/** IsDNS1123Subdomain. */
export function dns1123SubdomainErrors(name: string, unit: Unit = 'characters'): readonly string[] {
  const ok = DNS1123_SUBDOMAIN.test(name);
  if (ok && name.length <= 253) return NONE;
  const long = ok || byteLength(name) > 253;
  const errs: string[] = [];
  if (long) errs.push(`must be no more than 253 ${unit}`);
  if (!ok) errs.push(DNS1123_SUBDOMAIN_MSG);
  return errs;
}

/** The name functions of ValidateObjectMeta, by what they call. */
export type NameRule = 'subdomain' | 'label';

/**
 * NameIsDNSSubdomain / NameIsDNSLabel: a generateName is a prefix, so a trailing dash is masked
 * as upstream's maskTrailingDash does it (the two last characters become "a").
 */
export function nameErrors(rule: NameRule, name: string, prefix: boolean): readonly string[] {
  const checked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  return rule === 'label' ? dns1123LabelErrors(checked) : dns1123SubdomainErrors(checked);
}

/** IsLabelKey (IsQualifiedName): an optional DNS subdomain prefix and a name part. */
export function labelKeyErrors(key: string): readonly string[] {
  const slash = key.indexOf('/');
  // The usual key, prefixed or not, is told valid by one test of the whole.
  if (key.length - slash - 1 <= 63 && slash <= 253 && LABEL_KEY.test(key)) return NONE;
  const errs: string[] = [];
  let name = key;
  if (slash >= 0) {
    if (key.indexOf('/', slash + 1) >= 0) {
      return [`a valid label key ${LABEL_KEY_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
    }
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix === '') errs.push('prefix part must be non-empty');
    else for (const msg of dns1123SubdomainErrors(prefix, 'bytes')) errs.push(`prefix part ${msg}`);
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push('name part must be no more than 63 bytes');
  if (!LABEL_NAME.test(name)) errs.push(`name part ${LABEL_KEY_NAME_MSG}`);
  return errs.length === 0 ? NONE : errs;
}

/** IsLabelValue: at most 63 bytes, empty or of the label-value characters. */
export function labelValueErrors(value: string): readonly string[] {
  const ok = value === '' || LABEL_NAME.test(value);
  if (ok && value.length <= 63) return NONE;
  const long = ok || byteLength(value) > 63;
  const errs: string[] = [];
  if (long) errs.push('must be no more than 63 bytes');
  if (!ok) errs.push(LABEL_VALUE_MSG);
  return errs;
}
