import { describe, expect, it } from 'vitest';
import {
  logPatterns,
  RUNBOOK_LOG_PATTERNS,
} from '../../../../src/diagnostics/logs/log-patterns.js';

const matching = (text: string): string[] =>
  logPatterns()
    .filter(({ regex }) => regex.test(text))
    .map(({ name }) => name);

describe('logPatterns', () => {
  it('lists the runbook log patterns (docs/runbooks/tas-escalation.md) in the runbook order', () => {
    expect(RUNBOOK_LOG_PATTERNS.map(({ name }) => name)).toEqual([
      'ERROR',
      'Unhandled',
      'Timeout',
      'Deadlock',
      'Connection refused',
      'ECONNREFUSED',
      'permission denied',
      'file not found',
      'Cron failure',
      'HTTP 500',
      'database connection errors',
      'Elasticsearch connection errors',
      'ArangoDB connection errors',
      'DMS handling errors',
    ]);
  });

  it.each([
    ['ERROR something broke', ['ERROR']],
    ['error: something broke', ['ERROR']],
    ['UnhandledPromiseRejectionWarning: boom', ['Unhandled']],
    ['request timed out after 30s', ['Timeout']],
    ['ETIMEDOUT', ['Timeout']],
    ['Deadlock found when trying to get lock', ['Deadlock']],
    ['java.net.ConnectException: Connection refused', ['Connection refused']],
    ['connect ECONNREFUSED 127.0.0.1:6379', ['ECONNREFUSED']],
    ['open /data/x: permission denied', ['permission denied']],
    ["ENOENT: no such file or directory, open '/x'", ['file not found']],
    ['template file not found: mail.html', ['file not found']],
    ['cron job purge-sessions failed: exit 1', ['Cron failure']],
    ['"GET /api/cases HTTP/1.1" 500 1234', ['HTTP 500']],
    ['upstream answered HTTP 500', ['HTTP 500']],
    ['could not connect to database: timeout expired', ['Timeout', 'database connection errors']],
    ['Connection to postgres lost', ['database connection errors']],
    [
      'ConnectionError: connect ECONNREFUSED 127.0.0.1:9200',
      ['ECONNREFUSED', 'Elasticsearch connection errors'],
    ],
    [
      'NoLivingConnectionsError: There are no living connections',
      ['Elasticsearch connection errors'],
    ],
    ['elasticsearch connection failed', ['Elasticsearch connection errors']],
    ['ArangoError: cannot connect to arango', ['ArangoDB connection errors']],
    ['DMS upload failed for document 42', ['DMS handling errors']],
  ])('finds %j as %j', (text, names) => {
    expect(matching(text)).toEqual(names);
  });

  it.each([
    'user logged in',
    'errors: 0',
    'backend-cron finished in 2s',
    'HTTP 200 /status',
    'acronym',
  ])('finds nothing in %j', (text) => {
    expect(matching(text)).toEqual([]);
  });

  describe('when the environment configures its own patterns', () => {
    it('appends them after the runbook ones, case-insensitive', () => {
      const patterns = logPatterns([{ name: 'quota', regex: 'quota exceeded' }]);

      expect(patterns.at(-1)?.name).toBe('quota');
      expect(patterns.at(-1)?.regex.test('QUOTA EXCEEDED for tenant 7')).toBe(true);
      expect(patterns).toHaveLength(RUNBOOK_LOG_PATTERNS.length + 1);
    });
  });
});
