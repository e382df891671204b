/**
 * A credential recognised by its own shape: a vendor prefix, a fixed length, a checksum-like
 * structure. Each one becomes `[REDACTED:<kind>]` in full.
 */
export interface TokenKind {
  readonly kind: string;
  /**
   * A regular expression source, without anchors or flags and without a top-level `|` (a kind
   * with two shapes has two entries); a token starts at a word boundary.
   */
  readonly source: string;
  /**
   * The big pattern is case-insensitive for the key words; a vendor prefix such as `AIza` or
   * `SG.` is only that vendor's when its case is exact, so a match is checked again with case.
   */
  readonly exactCase: boolean;
  /** A stricter source the whole match must satisfy, when `source` is loose to stay fast. */
  readonly confirm?: string;
}

// Shapes follow the public rule sets of secret scanners (gitleaks, trufflehog) and the vendors'
// own documentation. Every quantifier after a fixed prefix is either open-ended with nothing
// after it, or bounded: a shape that can fail late would rescan long lines from every start.
// Order matters where prefixes overlap: `sk-ant-` before `sk-`.
export const TOKEN_KINDS: readonly TokenKind[] = [
  {
    kind: 'slack-token',
    source: String.raw`xox(?:e\.xox)?[a-z]-[A-Za-z0-9-]{8,}`,
    exactCase: false,
  },
  { kind: 'slack-token', source: String.raw`xapp-[A-Za-z0-9-]{8,}`, exactCase: false },
  { kind: 'github-token', source: String.raw`gh[pousr]_[A-Za-z0-9]{20,}`, exactCase: true },
  { kind: 'github-token', source: String.raw`github_pat_[A-Za-z0-9_]{20,}`, exactCase: true },
  {
    kind: 'gitlab-token',
    source: String.raw`gl(?:pat|dt|rt|ptt|ft|imt|soat|cbt)-[\w-]{20,}`,
    exactCase: true,
  },
  { kind: 'aws-key', source: String.raw`A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}\b`, exactCase: true },
  {
    kind: 'stripe-key',
    source: String.raw`sk_(?:live|test|prod)_[A-Za-z0-9]{10,}`,
    exactCase: true,
  },
  {
    kind: 'stripe-key',
    source: String.raw`rk_(?:live|test|prod)_[A-Za-z0-9]{10,}`,
    exactCase: true,
  },
  { kind: 'stripe-key', source: String.raw`whsec_[A-Za-z0-9+/=]{24,}`, exactCase: true },
  { kind: 'google-api-key', source: String.raw`AIza[\w-]{35}(?![\w-])`, exactCase: true },
  {
    kind: 'anthropic-key',
    source: String.raw`sk-ant-(?:api|admin|oat)\d\d-[\w-]{32,}`,
    exactCase: true,
  },
  { kind: 'openai-key', source: String.raw`sk-(?:proj|svcacct|admin)-[\w-]{20,}`, exactCase: true },
  { kind: 'openai-key', source: String.raw`sk-[A-Za-z0-9]{32,}`, exactCase: true },
  { kind: 'npm-token', source: String.raw`npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, exactCase: true },
  { kind: 'sendgrid-key', source: String.raw`SG\.[\w-]{16,32}\.[\w-]{16,64}`, exactCase: true },
  { kind: 'pypi-token', source: String.raw`pypi-AgEIcHlwaS5vcmc[\w-]{50,}`, exactCase: true },
  { kind: 'docker-token', source: String.raw`dckr_(?:pat|oat)_[\w-]{20,}`, exactCase: true },
  { kind: 'digitalocean-token', source: String.raw`do[opr]_v1_[a-f0-9]{64}\b`, exactCase: true },
  {
    kind: 'shopify-token',
    source: String.raw`shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b`,
    exactCase: true,
  },
  { kind: 'vault-token', source: String.raw`hv[sbr]\.[\w-]{24,}`, exactCase: true },
  { kind: 'age-key', source: String.raw`AGE-SECRET-KEY-1[0-9A-Z]{58}\b`, exactCase: true },
  { kind: 'heroku-key', source: String.raw`HRKU-AA[\w-]{58}(?![\w-])`, exactCase: true },
  { kind: 'telegram-token', source: String.raw`\d{8,10}:AA[\w-]{33}(?![\w-])`, exactCase: true },
  {
    kind: 'huggingface-token',
    source: String.raw`hf_[A-Za-z]{34}(?![A-Za-z0-9])`,
    exactCase: true,
  },
  {
    kind: 'grafana-token',
    source: String.raw`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`,
    exactCase: true,
  },
  { kind: 'grafana-token', source: String.raw`glc_[A-Za-z0-9+/]{32,}={0,2}`, exactCase: true },
  { kind: 'sentry-token', source: String.raw`sntry[su]_[\w+/=.-]{40,}`, exactCase: true },
  { kind: 'newrelic-key', source: String.raw`NRAK-[A-Z0-9]{27}\b`, exactCase: true },
  { kind: 'linear-key', source: String.raw`lin_api_[A-Za-z0-9]{40}\b`, exactCase: true },
  {
    kind: 'doppler-token',
    source: String.raw`dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}`,
    exactCase: true,
  },
  { kind: 'databricks-token', source: String.raw`dapi[a-f0-9]{32}(?:-\d)?\b`, exactCase: true },
  { kind: 'atlassian-token', source: String.raw`ATATT3[\w=-]{150,}`, exactCase: true },
  // Header (base64 of `{"`), payload, signature. Every part after the header is optional in the
  // scan, so a long run of base64 is taken in one step instead of failing late from every `eyJ`
  // in it; `confirm` then leaves a part without a payload (base64 JSON, not a token) as it was.
  {
    kind: 'jwt',
    source: String.raw`eyJ[\w-]{4,}(?:\.[\w-]{4,}(?:\.[\w-]*)?)?`,
    confirm: String.raw`eyJ[\w-]{4,}\.[\w-]{4,}(?:\.[\w-]*)?`,
    exactCase: true,
  },
  {
    kind: 'discord-token',
    source: String.raw`[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,40}\b`,
    exactCase: true,
  },
];

/** One label of a PEM armour line, e.g. `RSA PRIVATE KEY` or `PGP PRIVATE KEY BLOCK`. */
const PEM_LABEL = String.raw`[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----`;

/**
 * A PEM private key: the BEGIN line, then its body (base64, the `Proc-Type`/`DEK-Info` headers
 * of an encrypted key, real or JSON-escaped line breaks) up to and including the END line. The
 * END line is optional so that a key cut off anywhere is still taken whole; a line-by-line log
 * is handled by the line-stream redactor.
 */
export const PEM_SOURCE =
  String.raw`-----BEGIN ${PEM_LABEL}(?:[A-Za-z0-9+/=\s:,]+|\\[nrt]|-(?!----END ))*` +
  String.raw`(?:-----END ${PEM_LABEL})?`;

/**
 * Key words whose value is a credential. Found anywhere in a key (`DB_PASSWORD`, `csrf_token`,
 * `dbPassword`) and followed at most by `_key`, `_base` or `_value` (`SECRET_KEY`,
 * `SECRET_KEY_BASE`), then a separator: so "token bucket", `password_policy=`, `token_type=`,
 * `API_KEY_ID=` (an identifier, not a credential) and `passwordless` stay readable. `pass` and
 * `auth` count only as a whole word (`DB_PASS`, not `bypass`; `auth`, not `oauth_state`).
 */
export const SECRET_KEY_SOURCE =
  String.raw`(?:password|passwd|passphrase|pwd|secret|token|(?<![a-z])pass|(?<![a-z])auth|` +
  String.raw`(?:api|access|account|private|signing|encryption|master|session|shared|app)[_-]?key)` +
  String.raw`(?:[_-]?key)?(?:[_-]?(?:base|value))?`;

/** URL query parameters that carry a signature granting access (Azure SAS, presigned S3/GCS). */
export const SIGNED_QUERY_SOURCE = String.raw`sig|signature|x-amz-signature|x-goog-signature`;

/** Authorization schemes kept in front of their (redacted) credential. */
export const AUTH_SCHEME_SOURCE = String.raw`bearer|basic|token|digest|bot|apikey|sso-key|negotiate`;
