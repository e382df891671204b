import type { Platform } from './chat-event.js';
import type { Directory } from './directory.js';
import { didYouMean } from '../lib/did-you-mean.js';

/** What the picker reads: the configured environments and which channels belong to them. */
export type EnvironmentSource = Pick<
  Directory,
  'environmentNames' | 'environmentForChannel' | 'environmentsOfChannel' | 'defaultEnvironment'
>;

export interface PickEnvironmentInput {
  /** `--env NAME`, the Discord `env` option or a leading positional (`status prod`). */
  readonly asked?: string | undefined;
  readonly platform: Platform;
  readonly channelId: string;
}

/** Why an environment was chosen, for logs and for answers that say so. */
export type PickedBecause = 'explicit' | 'channel' | 'default' | 'only-one';

export type EnvironmentPick =
  | { readonly kind: 'picked'; readonly name: string; readonly because: PickedBecause }
  /** Named explicitly but not configured; `suggestions` are the close names, best first. */
  | {
      readonly kind: 'unknown';
      readonly asked: string;
      readonly suggestions: readonly string[];
      readonly known: readonly string[];
    }
  /** A channel several environments share (a team's support channel): naming one is required. */
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  /** Nothing names an environment here and there is neither a default nor a single one. */
  | { readonly kind: 'none'; readonly candidates: readonly string[] };

/**
 * The one answer to "which environment?", shared by commands, Discord autocomplete and the
 * console so that none of them guesses differently: an explicit name, else the environment whose
 * command channel this is, else (unless the channel serves several) the configured default, else
 * the only environment there is.
 */
export function pickEnvironment(
  source: EnvironmentSource,
  input: PickEnvironmentInput,
): EnvironmentPick {
  const names = source.environmentNames();
  const { asked, platform, channelId } = input;
  if (asked !== undefined) {
    if (names.includes(asked)) return { kind: 'picked', name: asked, because: 'explicit' };
    return { kind: 'unknown', asked, suggestions: didYouMean(asked, names), known: names };
  }
  const fromChannel = source.environmentForChannel(platform, channelId);
  if (fromChannel !== undefined) return { kind: 'picked', name: fromChannel, because: 'channel' };
  const served = source.environmentsOfChannel(platform, channelId);
  // A support channel shared by several environments: the default environment would be a
  // guess, and a wrong one could restart the wrong product.
  if (served.length > 0 && names.length > 1) return { kind: 'ambiguous', candidates: served };
  const fallback = source.defaultEnvironment();
  if (fallback !== undefined && names.includes(fallback))
    return { kind: 'picked', name: fallback, because: 'default' };
  if (names.length === 1 && names[0] !== undefined)
    return { kind: 'picked', name: names[0], because: 'only-one' };
  return { kind: 'none', candidates: names };
}
