import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../../src/config/format-issues.js';

describe('formatIssues', () => {
  it('prints one line per issue, its hint indented under it, and a summary', () => {
    const text = formatIssues(
      [
        {
          path: 'environments.prod.probes[1].url',
          message: 'expected an http:// or https:// URL',
          hint: 'e.g. https://tas.example.com/health',
          line: 23,
          column: 9,
        },
        { path: 'SLACK_BOT_TOKEN', message: 'must start with xoxb-' },
        {
          path: '',
          message: 'Tabs are not allowed as indentation',
          hint: 'YAML indents with spaces, never tabs',
          line: 9,
          column: 1,
        },
      ],
      { file: '/etc/tas-chatops/config.yml' },
    );
    expect(text).toBe(
      [
        '✗ environments.prod.probes[1].url (line 23): expected an http:// or https:// URL',
        '    hint: e.g. https://tas.example.com/health',
        '✗ SLACK_BOT_TOKEN: must start with xoxb-',
        '✗ line 9, column 1: Tabs are not allowed as indentation',
        '    hint: YAML indents with spaces, never tabs',
        '3 problems in /etc/tas-chatops/config.yml',
      ].join('\n'),
    );
  });

  it('counts in the singular and marks warnings', () => {
    expect(formatIssues([{ path: 'a', message: 'b' }], { kind: 'warning' })).toBe(
      '⚠ a: b\n1 warning',
    );
  });
});
