import type { AutocompleteInteraction } from 'discord.js';
import type { InteractionDeps } from './interaction-deps.js';
import { within } from '../../src/lib/within.js';
import { placeOf } from './to-chat-event.js';

const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** Names containing what was typed, those starting with it first; at most 25, as Discord allows. */
export function pickChoices(
  names: readonly string[],
  typed: string,
): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  const unique = [...new Set(names)].filter((n) => n.length > 0 && n.length <= MAX_CHOICE_LENGTH);
  const matching = unique.filter((n) => n.toLowerCase().includes(needle));
  const starts = matching.filter((n) => n.toLowerCase().startsWith(needle));
  const rest = matching.filter((n) => !n.toLowerCase().startsWith(needle));
  return [...starts, ...rest].slice(0, MAX_CHOICES).map((n) => ({ name: n, value: n }));
}

/**
 * Service names for the option being typed, from the core's cached live listing. Never
 * deferred (Discord has no deferral for autocomplete): if the names are not there within the
 * budget, the answer is empty and the next keystroke finds the cache filled.
 */
export async function handleAutocomplete(
  deps: InteractionDeps,
  interaction: AutocompleteInteraction,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const sub = interaction.options.getSubcommand(false) ?? '';
  const spec = deps.options.get(sub)?.find((o) => o.name === focused.name);
  let choices: { name: string; value: string }[] = [];
  if (spec?.autocomplete === true) {
    const environment = interaction.options.getString('env') ?? undefined;
    // Discord waits 3 s for choices: a slow listing answers with the literals alone.
    const names = await within(
      deps.host.serviceNames(environment, {
        platform: 'discord',
        channelId: placeOf(interaction).channelId,
      }),
      deps.autocompleteBudgetMs,
    ).catch((): readonly string[] => []);
    choices = pickChoices([...spec.literals, ...names], String(focused.value));
  }
  await interaction.respond(choices);
}
