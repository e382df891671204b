import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordHarness, type DiscordHarness } from '../../support/discord-harness.js';

/** What a reader sees: Discord renders `\x` as `x`. */
const shown = (markdown: unknown) => String(markdown).replace(/\\(.)/g, '$1');

describe('/tas logs filters on Discord, typed as native options', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscordHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function logs(options: Record<string, string | number>) {
    const record = h.standIn.slash(h.member('bob'), {
      channelId: h.channels.fixture,
      subcommand: 'logs',
      options,
    });
    const message = await h.standIn.until(
      'logs answer',
      () =>
        record.originalState === 'resolved'
          ? h.standIn.message(record.originalId ?? '')
          : undefined,
      60_000,
    );
    const body = [
      shown(message.json.content),
      shown(JSON.stringify(message.json.embeds ?? []).replace(/\\n/g, '\n')),
      ...[...message.files.values()].map((f) => f.text),
    ].join('\n');
    return { title: shown(message.json.content), body };
  }

  it('answers --level error with the error lines only and says how many of how many', async () => {
    const { title, body } = await logs({ service: 'backend', since: '1d', level: 'error' });

    expect(title).toMatch(
      /^\*\*backend logs \(last 1d\): [\d,]+ of [\d,]+ lines at level ≥ error\*\*$/,
    );
    expect(body).toMatch(/ERROR /);
    expect(body).not.toMatch(/\b(INFO|DEBUG|WARN) /);
  });

  it('takes --context as a number and shows context lines only then', async () => {
    const { title, body } = await logs({
      service: 'backend',
      since: '1d',
      level: 'error',
      context: 1,
    });

    expect(title).toMatch(/ lines at level ≥ error\*\*$/);
    // The lines around the errors, below error, are there because they were asked for.
    expect(body).toMatch(/\b(INFO|WARN) /);
  });
});
