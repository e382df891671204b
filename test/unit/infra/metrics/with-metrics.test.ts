import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../../src/core/chat-event.js';
import type { Command } from '../../../../src/core/command.js';
import { createDispatcher } from '../../../../src/core/dispatcher.js';
import { DependencyError } from '../../../../src/core/errors.js';
import { authorize } from '../../../../src/core/middleware/authorize.js';
import { identify } from '../../../../src/core/middleware/identify.js';
import { resolveCommand } from '../../../../src/core/middleware/resolve-command.js';
import { withMetrics } from '../../../../src/core/middleware/with-metrics.js';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { configDirectory } from '../../../../src/commands/config-directory.js';
import { requestPolicies } from '../../../../src/operations/request-policies.js';
import { createBotMetrics } from '../../../../src/infra/metrics/bot-metrics.js';
import { captureLogger } from '../../../fakes/capture-logger.js';
import { testConfig } from '../../../fakes/test-config.js';
import { valueOf } from './exposition.js';

const event = (text: string, userId = 'U01ALICE'): ChatEvent => ({
  id: 'ev1',
  platform: 'slack',
  userId,
  channelId: 'C01OPS',
  text,
  receivedAt: new Date(0),
});

/** A clock that moves on 250 ms per reading. */
function steppingClock(): Clock {
  let at = 0;
  return { now: () => new Date((at += 250)) };
}

function setup() {
  const command = (
    name: string,
    run: () => Promise<void>,
    permission: Command['permission'] = 'read',
  ): Command => ({
    name,
    summary: name,
    usage: name,
    flags: [],
    permission,
    async run() {
      await run();
      return { title: `${name} ran`, blocks: [] };
    },
  });
  const commands = [
    command('status', () => Promise.resolve()),
    command('logs', () =>
      Promise.reject(new DependencyError('docker', 'Docker at unix:///x is unreachable')),
    ),
    command('audit', () => Promise.reject(new Error('bug'))),
    command('approve', () => Promise.resolve(), 'approve'),
  ];
  const config = testConfig();
  const directory = configDirectory(config);
  const metrics = createBotMetrics({ log: captureLogger().log, defaultMetrics: false });
  const dispatcher = createDispatcher({
    slash: '/tas',
    log: captureLogger().log,
    redact: (t) => t,
    middleware: [
      withMetrics(metrics, steppingClock()),
      identify(directory),
      resolveCommand(commands, directory, '/tas'),
      authorize(directory, requestPolicies(config)),
    ],
  });
  return { dispatcher, metrics };
}

describe('withMetrics', () => {
  it('counts answered commands by name and outcome: ok, refused, unavailable, failed', async () => {
    const { dispatcher, metrics } = setup();
    await dispatcher.dispatch(event('status'));
    await dispatcher.dispatch(event('status'));
    await dispatcher.dispatch(event('approve r1')); // alice is on call, not a lead
    await dispatcher.dispatch(event('logs backend'));
    await dispatcher.dispatch(event('audit'));
    const { body } = await metrics.render();
    expect(valueOf(body, 'tas_commands_total', { command: 'status', outcome: 'ok' })).toBe(2);
    expect(valueOf(body, 'tas_commands_total', { command: 'approve', outcome: 'refused' })).toBe(1);
    expect(valueOf(body, 'tas_commands_total', { command: 'logs', outcome: 'unavailable' })).toBe(
      1,
    );
    expect(valueOf(body, 'tas_commands_total', { command: 'audit', outcome: 'failed' })).toBe(1);
    expect(valueOf(body, 'tas_command_duration_seconds_sum', { command: 'status' })).toBe(0.5);
  });

  it('labels what is not a command as unknown, never with the typed text', async () => {
    const { dispatcher, metrics } = setup();
    const reply = await dispatcher.dispatch(event('drop-database-now'));
    expect(reply.title).toContain('is not a command');
    await dispatcher.dispatch(event('status', 'U99STRANGER'));
    const { body } = await metrics.render();
    expect(body).not.toContain('drop-database-now');
    expect(valueOf(body, 'tas_commands_total', { command: 'unknown', outcome: 'refused' })).toBe(2);
  });
});
