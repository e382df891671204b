import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse } from './answer-http.js';
import type { EndpointDeps } from './endpoint-deps.js';
import { handleAction } from './handle-action.js';
import { handleCommand } from './handle-command.js';

export const COMMAND_PATH = '/mattermost/command';
export const ACTION_PATH = '/mattermost/action';

/**
 * The two routes the Mattermost server calls on the bot's shared HTTP server: the slash command
 * and the buttons' `integration.url`. One handler serves both; it answers 405 to anything but
 * POST and 503 until the adapter has started (or once it is stopping).
 */
export function httpRoutes(deps: EndpointDeps, accepting: () => boolean) {
  return {
    path: COMMAND_PATH,
    paths: [ACTION_PATH],
    handle(req: IncomingMessage, res: ServerResponse): void {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const route =
        path === COMMAND_PATH ? handleCommand : path === ACTION_PATH ? handleAction : undefined;
      if (route === undefined) return refuse(req, res, 404);
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return refuse(req, res, 405);
      }
      if (!accepting()) return refuse(req, res, 503);
      route(deps, req, res).catch((error: unknown) => {
        deps.log.error({ err: error, path }, 'Mattermost request handling failed');
        if (!res.headersSent) refuse(req, res, 500);
      });
    },
  };
}
