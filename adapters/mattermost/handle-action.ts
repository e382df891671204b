import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatAction, ChatEvent } from '../../src/core/chat-event.js';
import type { Answer } from '../../src/core/ports/chat-adapter.js';
import { DeadlinePassedError, within } from '../../src/lib/within.js';
import { actionId, verifyAction } from './action-context.js';
import { parseActionBody, type ActionRequest } from './action-request.js';
import { answerJson, refuse } from './answer-http.js';
import { deliverAnswer, type AnswerTarget } from './deliver-answer.js';
import {
  claimAll,
  DOUBLE_CLICK_MS,
  REDELIVERY_MS,
  track,
  type EndpointDeps,
} from './endpoint-deps.js';
import type { MattermostPost } from './mattermost-api.js';
import { actionEvent } from './mattermost-events.js';
import { MATTERMOST_LIMITS } from './mattermost-limits.js';
import { readBody } from './read-body.js';
import { renderPages } from './render-post.js';

/**
 * How long a click waits for the core before answering the server (which waits 30 s by
 * default): long enough for a refusal to come back as the click's own `ephemeral_text`.
 */
export const CLICK_ANSWER_MS = 8_000;

/** Whether the post carries the button the click names, among its attachments' actions. */
function carries(post: MattermostPost, id: string): boolean {
  return (post.props?.attachments ?? []).some((attachment) => {
    const actions = (attachment as { actions?: unknown }).actions;
    return Array.isArray(actions) && actions.some((a) => (a as { id?: unknown }).id === id);
  });
}

type Verified = Pick<ChatAction, 'verb' | 'requestId'>;

/**
 * The second check, with the bot's token: the post exists, is the bot's own, sits in the channel
 * the click names and carries that very button. (The server strips `integration` from posts it
 * returns, so the context itself cannot be compared; the signature stands for it.)
 */
async function genuinePost(deps: EndpointDeps, click: ActionRequest, action: Verified) {
  const post = await deps.api.getPost(click.postId);
  const ok =
    post !== undefined &&
    post.user_id === deps.botUserId() &&
    post.channel_id === click.channelId &&
    carries(post, actionId(action.verb, action.requestId));
  return ok ? post : undefined;
}

/** The answer as the click's response, or `{}` with the answer posted by the API. */
function respondWith(deps: EndpointDeps, answered: Answer, target: AnswerTarget) {
  const reply = answered.reply;
  if (answered.posted !== undefined) return {};
  if (reply.ephemeral === true) {
    const [first = '', ...rest] = renderPages(reply, deps.command);
    if (rest.length > 0) track(deps, deliverRest(deps, target, rest), 'click');
    return { ephemeral_text: first, skip_slack_parsing: true };
  }
  track(deps, deliver(deps, target, answered), 'click');
  return {};
}

async function deliverRest(deps: EndpointDeps, target: AnswerTarget, pages: readonly string[]) {
  for (const message of pages)
    await deps.api.createEphemeral(target.user, {
      channel_id: target.channel,
      message,
      ...(target.rootId !== undefined && { root_id: target.rootId }),
    });
}

const deliver = (deps: EndpointDeps, target: AnswerTarget, answered: Answer) =>
  answered.posted !== undefined
    ? Promise.resolve()
    : deliverAnswer(
        { poster: deps.poster, log: deps.log, command: deps.command },
        target,
        answered.reply,
      );

/** Dispatches; answers the server with the result, or with `{}` once the wait is over. */
async function answerClick(deps: EndpointDeps, event: ChatEvent, res: ServerResponse) {
  const target: AnswerTarget = {
    channel: event.channelId,
    user: event.userId,
    ...(event.threadId !== undefined && { rootId: event.threadId }),
  };
  const work = deps.host.dispatch(event);
  let answered: Answer;
  try {
    answered = await within(work, deps.clickAnswerMs ?? CLICK_ANSWER_MS);
  } catch (error) {
    if (!(error instanceof DeadlinePassedError)) throw error;
    answerJson(res, 200, {});
    track(
      deps,
      work.then((late) => deliver(deps, target, late)),
      'click',
    );
    return;
  }
  answerJson(res, 200, respondWith(deps, answered, target));
}

function refuseForeign(
  deps: EndpointDeps,
  click: ActionRequest,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  deps.log.warn(
    { postId: click.postId, userId: click.userId },
    'Mattermost click refused: not one of our buttons',
  );
  refuse(req, res, 403);
}

/**
 * `POST /mattermost/action`: a button click as the server sends it (no signature of its own:
 * anyone who reaches the URL can post any body). Refused with 4xx unless its context carries
 * our HMAC and the post look-up agrees; then claimed once per trigger_id (and once per person,
 * button and request within a double-click), authorised by the core from the server's user_id.
 */
export async function handleAction(
  deps: EndpointDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = deps.now();
  const body = await readBody(req, MATTERMOST_LIMITS.actionBodyBytes, 'application/json');
  if (!body.ok) return refuse(req, res, body.status);
  const click = parseActionBody(body.bytes);
  if (click === undefined) return refuse(req, res, 400);
  const action = verifyAction(deps.actionKey, click.context);
  if (action === undefined) return refuseForeign(deps, click, req, res);
  // A repeat is recognised before the post look-up: a click retried after the card lost its
  // buttons was answered the first time and must not come back as an error.
  const claims = [
    { key: `mattermost:act:${click.triggerId}`, ttlMs: REDELIVERY_MS },
    {
      key: `mattermost:click:${click.userId}:${action.verb}:${action.requestId}`,
      ttlMs: DOUBLE_CLICK_MS,
    },
  ];
  if (!(await claimAll(deps.ledger, claims))) {
    deps.log.info({ postId: click.postId }, 'dropped a click already answered (a repeat)');
    answerJson(res, 200, {});
    return;
  }
  const post = await genuinePost(deps, click, action);
  if (post === undefined) return refuseForeign(deps, click, req, res);
  const event = actionEvent(click, action, post, new Date(started));
  const answering = answerClick(deps, event, res).finally(() =>
    deps.host.metrics?.observeAck('mattermost', (deps.now() - started) / 1000),
  );
  track(deps, answering, 'click');
  await answering;
}
