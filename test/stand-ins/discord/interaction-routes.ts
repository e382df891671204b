import type { UploadedFile } from './read-request.js';
import type { MessageStore } from './message-store.js';
import {
  ApiError,
  isObject,
  type InteractionRecord,
  type Json,
  type StoredMessage,
} from './stand-in-state.js';

/**
 * Interaction callbacks and the interaction webhook, after discord-api-docs
 * `interactions/receiving-and-responding.mdx`: one callback per interaction within 3 s of its
 * creation (else 10062 Unknown interaction; a second one is 40060), then edits and follow-ups
 * by token. The first follow-up after a deferral edits the loading message and keeps the
 * deferral's visibility ("Create Followup Message"), as Discord does for backward compatibility.
 */
export interface InteractionContext {
  readonly applicationId: string;
  readonly deadlineMs: number;
  readonly store: MessageStore;
  readonly interactions: Map<string, InteractionRecord>;
  readonly byToken: Map<string, InteractionRecord>;
  readonly newId: () => string;
  readonly bot: { readonly id: string; readonly username: string };
  readonly guildId: string;
}

const EPHEMERAL = 1 << 6;
const CALLBACK = {
  pong: 1,
  message: 4,
  deferredMessage: 5,
  deferredUpdate: 6,
  update: 7,
  autocomplete: 8,
  modal: 9,
} as const;
const TYPE = { command: 2, component: 3, autocomplete: 4 } as const;

const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');

function channelOf(interaction: InteractionRecord): string {
  return String(
    (interaction.payload.channel as Json | undefined)?.id ?? interaction.payload.channel_id,
  );
}

function newMessage(
  ctx: InteractionContext,
  interaction: InteractionRecord,
  body: Json,
  files: readonly UploadedFile[],
  original: boolean,
  loading = false,
): StoredMessage {
  const user = ((interaction.payload.member as Json | undefined)?.user ?? {}) as Json;
  return ctx.store.create(
    {
      id: ctx.newId(),
      channelId: channelOf(interaction),
      guildId: ctx.guildId,
      author: ctx.bot,
      type: original && interaction.type === TYPE.command ? 20 : 0,
      webhookId: ctx.applicationId,
      applicationId: ctx.applicationId,
      // discord.js reads authorizing_integration_owners here too (Transformers.js).
      interaction: {
        id: interaction.id,
        type: interaction.type,
        user,
        authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
        ...(!original &&
          interaction.originalId !== undefined && {
            original_response_message_id: interaction.originalId,
          }),
        ...(interaction.type === TYPE.component && {
          interacted_message_id: (interaction.payload.message as Json).id,
        }),
      },
    },
    body,
    files,
    'interaction',
    loading,
  );
}

function choiceProblems(choices: unknown): string[] {
  if (!Array.isArray(choices)) return ['data.choices: must be an array'];
  const problems =
    choices.length > 25 ? [`data.choices: ${choices.length} choices, at most 25`] : [];
  choices.forEach((c: unknown, i) => {
    const choice = isObject(c) ? c : {};
    const name = typeof choice.name === 'string' ? choice.name : '';
    if (name.length < 1 || name.length > 100)
      problems.push(`data.choices.${i}.name: must be 1-100 characters`);
    if (typeof choice.value === 'string' && choice.value.length > 100)
      problems.push(`data.choices.${i}.value: at most 100 characters`);
  });
  return problems;
}

/** `POST /interactions/{id}/{token}/callback`. Returns the message the response made, if any. */
export function interactionCallback(
  ctx: InteractionContext,
  id: string,
  token: string,
  body: Json,
  files: readonly UploadedFile[],
): StoredMessage | undefined {
  const interaction = ctx.interactions.get(id);
  if (interaction === undefined || interaction.token !== token) throw unknownInteraction();
  if (Date.now() - interaction.createdAt > ctx.deadlineMs) throw unknownInteraction();
  if (interaction.response !== undefined)
    throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
  const type = body.type;
  const data = isObject(body.data) ? body.data : {};
  const flags = typeof data.flags === 'number' ? data.flags : 0;
  const allowed: Readonly<Record<number, readonly number[]>> = {
    [CALLBACK.message]: [TYPE.command, TYPE.component],
    [CALLBACK.deferredMessage]: [TYPE.command, TYPE.component],
    [CALLBACK.deferredUpdate]: [TYPE.component],
    [CALLBACK.update]: [TYPE.component],
    [CALLBACK.autocomplete]: [TYPE.autocomplete],
  };
  if (typeof type !== 'number' || !(allowed[type] ?? []).includes(interaction.type)) {
    throw new ApiError(400, 50035, 'Invalid Form Body', [
      `type: ${String(type)} is not a valid response to an interaction of type ${interaction.type}`,
    ]);
  }
  let message: StoredMessage | undefined;
  if (type === CALLBACK.autocomplete) {
    const problems = choiceProblems(data.choices);
    if (problems.length > 0) throw new ApiError(400, 50035, 'Invalid Form Body', problems);
    interaction.choices = data.choices as { name: string; value: unknown }[];
  } else if (type === CALLBACK.message) {
    message = newMessage(ctx, interaction, data, files, true);
    interaction.originalId = message.json.id as string;
    interaction.originalState = 'resolved';
  } else if (type === CALLBACK.deferredMessage) {
    if ((flags & ~EPHEMERAL) !== 0)
      throw new ApiError(400, 50035, 'Invalid Form Body', [
        'data.flags: only EPHEMERAL with a deferral',
      ]);
    message = newMessage(ctx, interaction, { flags }, [], true, true);
    interaction.originalId = message.json.id as string;
    interaction.originalState = 'loading';
  } else if (type === CALLBACK.update) {
    const target = ctx.store.get(String((interaction.payload.message as Json).id));
    if (target === undefined) throw unknownMessage();
    message = ctx.store.edit(target, data, files, 'interaction');
  }
  interaction.response = { type, at: Date.now(), flags };
  return message;
}

/** An existing message's visibility cannot change, so an edit's flags are dropped. */
function withoutFlags(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'flags'));
}

function original(ctx: InteractionContext, interaction: InteractionRecord): StoredMessage {
  // After deferUpdate or update, @original is the message the component sits on.
  const id =
    interaction.type === TYPE.component &&
    interaction.response !== undefined &&
    interaction.response.type >= CALLBACK.deferredUpdate
      ? String((interaction.payload.message as Json).id)
      : interaction.originalId;
  const found = id === undefined ? undefined : ctx.store.get(id);
  if (found === undefined) throw unknownMessage();
  return found;
}

function webhookInteraction(
  ctx: InteractionContext,
  applicationId: string,
  token: string,
): InteractionRecord {
  const interaction = ctx.byToken.get(token);
  if (applicationId !== ctx.applicationId || interaction === undefined)
    throw new ApiError(404, 10015, 'Unknown Webhook');
  if (interaction.response === undefined) throw new ApiError(404, 10015, 'Unknown Webhook');
  return interaction;
}

function ownMessage(
  ctx: InteractionContext,
  interaction: InteractionRecord,
  messageId: string,
): StoredMessage {
  if (messageId === '@original') return original(ctx, interaction);
  if (!interaction.followUps.includes(messageId) && messageId !== interaction.originalId)
    throw unknownMessage();
  const found = ctx.store.get(messageId);
  if (found === undefined) throw unknownMessage();
  return found;
}

/** `POST /webhooks/{application.id}/{token}`: a follow-up (or, right after a deferral, the answer). */
export function followUp(
  ctx: InteractionContext,
  applicationId: string,
  token: string,
  body: Json,
  files: readonly UploadedFile[],
): StoredMessage {
  const interaction = webhookInteraction(ctx, applicationId, token);
  if (
    interaction.response?.type === CALLBACK.deferredMessage &&
    interaction.originalState === 'loading'
  ) {
    // Flags ignored: the loading message's visibility cannot change.
    const edited = ctx.store.edit(
      original(ctx, interaction),
      withoutFlags(body),
      files,
      'interaction',
    );
    interaction.originalState = 'resolved';
    return edited;
  }
  const message = newMessage(ctx, interaction, body, files, false);
  interaction.followUps.push(message.json.id as string);
  return message;
}

/** `GET|PATCH|DELETE /webhooks/{application.id}/{token}/messages/{id|@original}`. */
export function webhookMessage(
  ctx: InteractionContext,
  method: string,
  applicationId: string,
  token: string,
  messageId: string,
  body: Json,
  files: readonly UploadedFile[],
): StoredMessage | undefined {
  const interaction = webhookInteraction(ctx, applicationId, token);
  const message = ownMessage(ctx, interaction, messageId);
  if (method === 'GET') return message;
  if (method === 'DELETE') {
    message.deleted = true;
    if (messageId === '@original' || messageId === interaction.originalId)
      interaction.originalState = 'deleted';
    return undefined;
  }
  const edited = ctx.store.edit(message, withoutFlags(body), files, 'interaction');
  if (
    (messageId === '@original' || messageId === interaction.originalId) &&
    interaction.originalState === 'loading'
  )
    interaction.originalState = 'resolved';
  return edited;
}
