import type { ChatEvent, Platform } from './chat-event.js';

/** Who someone is in config terms, resolved from a verified platform id. */
export interface Identity {
  readonly person: string;
  readonly roles: ReadonlySet<string>;
}

/**
 * What the core needs to know about people, roles and environments, without seeing the config
 * file's shape. Permissions are names: `read`, `escalate`, or an operation name (`restart`, …)
 * for requesting it. Deny by default: anything the config does not grant is refused.
 */
export interface Directory {
  identify(event: ChatEvent): Identity | undefined;
  environmentNames(): readonly string[];
  /** The environment whose command (`ops`) channel this is: commands there default to it. */
  environmentForChannel(platform: Platform, channelId: string): string | undefined;
  /** Every environment naming this channel in any role (a support channel may serve several). */
  environmentsOfChannel(platform: Platform, channelId: string): readonly string[];
  defaultEnvironment(): string | undefined;
  allows(identity: Identity, environment: string, permission: string): boolean;
  /** Roles that hold a permission, for refusals that say who can. */
  rolesWith(environment: string, permission: string): readonly string[];
}
