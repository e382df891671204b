import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameSecret } from './action-context.js';
import { answerJson, refuse } from './answer-http.js';
import { headerToken, parseCommandForm, type CommandRequest } from './command-request.js';
import { deliverAnswer } from './deliver-answer.js';
import { claimAll, REDELIVERY_MS, track, type EndpointDeps } from './endpoint-deps.js';
import { commandEvent } from './mattermost-events.js';
import { MATTERMOST_LIMITS } from './mattermost-limits.js';
import { readBody } from './read-body.js';

/**
 * The command token is the only proof that a request came from the Mattermost server (no
 * signature, no timestamp). It travels in the body and in `Authorization: Token …`; both are
 * compared in constant time, and a header with another scheme (an outgoing OAuth connection
 * replaces it) leaves the body's token to decide.
 */
export function commandTokenValid(
  expected: string,
  request: Pick<CommandRequest, 'token'>,
  authorization: string | undefined,
): boolean {
  const fromHeader = headerToken(authorization);
  const bodyOk = sameSecret(request.token, expected);
  const headerOk = fromHeader === undefined || sameSecret(fromHeader, expected);
  return bodyOk && headerOk;
}

/** After the acknowledgement: claims the delivery, dispatches, posts the answer. */
async function answerCommand(deps: EndpointDeps, request: CommandRequest, receivedAt: Date) {
  const event = commandEvent(request, receivedAt);
  const key = `mattermost:cmd:${request.triggerId}`;
  if (!(await claimAll(deps.ledger, [{ key, ttlMs: REDELIVERY_MS }]))) {
    deps.log.info({ eventId: event.id }, 'dropped a command already answered (a repeat)');
    return;
  }
  deps.log.debug({ eventId: event.id, userId: event.userId }, 'dispatching a Mattermost command');
  const answered = await deps.host.dispatch(event);
  // An approval card is in the channel already: the core posted it to learn where it sits.
  if (answered.posted !== undefined) return;
  await deliverAnswer(
    { poster: deps.poster, log: deps.log, command: deps.command },
    {
      channel: request.channelId,
      user: request.userId,
      ...(request.rootId !== undefined && { rootId: request.rootId }),
      ...(request.responseUrl !== undefined && { responseUrl: request.responseUrl }),
    },
    answered.reply,
  );
}

/**
 * `POST /mattermost/command`: a custom slash command as the server sends it. Verified, then
 * acknowledged at once with an empty answer (the server shows nothing for it: no text, no
 * attachments); the work goes on after, and its result arrives as a post.
 */
export async function handleCommand(
  deps: EndpointDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = deps.now();
  const body = await readBody(
    req,
    MATTERMOST_LIMITS.commandBodyBytes,
    'application/x-www-form-urlencoded',
  );
  if (!body.ok) return refuse(req, res, body.status);
  const request = parseCommandForm(body.bytes);
  if (request === undefined) return refuse(req, res, 400);
  if (!commandTokenValid(deps.commandToken, request, req.headers.authorization)) {
    deps.log.warn({ userId: request.userId }, 'Mattermost command refused: wrong command token');
    return refuse(req, res, 401);
  }
  answerJson(res, 200, {});
  deps.host.metrics?.observeAck('mattermost', (deps.now() - started) / 1000);
  track(deps, answerCommand(deps, request, new Date(started)), 'command');
}
