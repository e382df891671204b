/** A named thing to look for in log messages; counted per excerpt. */
export interface LogPattern {
  readonly name: string;
  readonly regex: RegExp;
}

// "…connection errors" need three things in one line, in any order: the system, a connection, a
// failure. Lookaheads from the start say that without listing every word order.
const FAILURE = String.raw`(?:error|fail|refused|timeout|timed out|lost|closed|terminated|reset|unable|could not|cannot|exception)`;
const connectionError = (system: string, alsoMatch?: string): RegExp =>
  new RegExp(
    String.raw`^(?=.*?${system})(?=.*?connect)(?=.*?${FAILURE})` +
      (alsoMatch === undefined ? '' : `|${alsoMatch}`),
    'is',
  );

/**
 * The patterns the TAS runbook lists under "What to look for in the logs", in its order
 * (copied in docs/runbooks/tas-escalation.md).
 */
export const RUNBOOK_LOG_PATTERNS: readonly LogPattern[] = [
  { name: 'ERROR', regex: /\berror\b/i },
  { name: 'Unhandled', regex: /\bunhandled/i },
  { name: 'Timeout', regex: /time[ -]?out|timed out|ETIMEDOUT/i },
  { name: 'Deadlock', regex: /deadlock/i },
  { name: 'Connection refused', regex: /connection refused/i },
  { name: 'ECONNREFUSED', regex: /ECONNREFUSED/i },
  { name: 'permission denied', regex: /permission denied|\bEACCES\b|\bEPERM\b/i },
  { name: 'file not found', regex: /file not found|no such file|\bENOENT\b/i },
  {
    name: 'Cron failure',
    regex: /\bcron.*?(?:fail|error|exception)|(?:fail|error|exception).*?\bcron/is,
  },
  {
    name: 'HTTP 500',
    regex:
      /\bHTTP(?:\/[\d.]+)?"?\s+500\b|\b500 Internal Server Error\b|\bstatus(?:[ _-]?code)?["']?\s*[:=]\s*500\b/i,
  },
  {
    name: 'database connection errors',
    regex: connectionError(
      String.raw`(?:database|\bdb\b|postgres|psql|mysql|mariadb|mongo|jdbc|hikari|sequelize|typeorm|prisma|:5432\b|:3306\b|:27017\b)`,
    ),
  },
  {
    name: 'Elasticsearch connection errors',
    regex: connectionError(
      String.raw`(?:elastic|opensearch|:9200\b)`,
      String.raw`no ?living ?connections`,
    ),
  },
  { name: 'ArangoDB connection errors', regex: connectionError(String.raw`(?:arango|:8529\b)`) },
  {
    name: 'DMS handling errors',
    regex: /^(?=.*?\b(?:dms|document management))(?=.*?(?:error|fail|exception))/is,
  },
];

/**
 * The runbook patterns followed by the environment's own (`logs.patterns` in the config, whose
 * schema has already checked each regex compiles). Configured regexes are case-insensitive, as
 * the runbook's are.
 */
export function logPatterns(
  configured: readonly { name: string; regex: string }[] = [],
): readonly LogPattern[] {
  return [
    ...RUNBOOK_LOG_PATTERNS,
    ...configured.map(({ name, regex }) => ({ name, regex: new RegExp(regex, 'i') })),
  ];
}
