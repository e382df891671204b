import type { PathSegment } from './config-issue.js';
import { formatPath } from './config-issue.js';

const DURATION = 'a duration is a number and a unit: 500ms, 30s, 15m, 2h, 1d or 1h30m';
const SNOWFLAKE =
  'Discord ids are 17-20 digit snowflakes; quote them ("111111111111111111") so YAML keeps every digit';

// Matched against the formatted path, most specific first.
const HINTS: readonly (readonly [RegExp, string])[] = [
  [/\.(expires|every|timeout|window|per|defaultSince)$/, DURATION],
  [
    /\.docker\.host$/,
    'e.g. unix:///var/run/docker.sock, or tcp://docker-socket-proxy:2375 behind a socket proxy',
  ],
  [/^people\.[^.]+\.discord$|\.channels\..+\.discord$|^platformRoles\.discord/, SNOWFLAKE],
  [
    /^people\.[^.]+\.slack$/,
    'the member id from the Slack profile (⋮ → Copy member ID), e.g. U01ABCDEF',
  ],
  [
    /\.channels\..+\.slack$/,
    'the channel id shown at the bottom of the channel details, e.g. C01ABCDEF',
  ],
  [
    /^people\.[^.]+\.mattermost$/,
    'the user id (System Console → User Management → Users → the user, or `mmctl user search NAME`), quoted if it starts with digits',
  ],
  [
    /\.channels\..+\.mattermost$/,
    'the channel id (channel menu → View Info, or `mmctl channel search NAME`), quoted if it starts with digits',
  ],
  [/\.probes\[\d+\]$/, 'an HTTP probe has name and url; a TCP probe has name and tcp: host:port'],
  [/\.expect\.status$/, 'an HTTP status code or a list of them: 200 or [200, 204]'],
  [/\.facts\.[^.]+$/, 'a fact is one value: text, a number, or true/false'],
  [/\.tcp$/, 'host:port, e.g. mongodb:27017'],
  [/\.url$/, 'a full URL with its scheme, e.g. https://tas.example.com/api/status/liveness'],
  [
    /\.platform$/,
    'swarm (Docker Swarm stack), compose (Docker Compose project) or ecs (AWS ECS service)',
  ],
  [/\.stack$/, 'the Swarm stack or Compose project name, as in `docker stack ls`'],
  [/\.services$/, 'the short service names (without the stack prefix), in the runbook stop order'],
  [/\.policy$/, 'at least read: [roles]; anything not granted here is denied'],
  [/\.approvals$/, 'how many distinct people must approve, 1 to 5'],
  [
    /\.regex$/,
    'a JavaScript regular expression; in YAML prefer single quotes so backslashes stay as written',
  ],
  [/^command$/, 'the slash command without "/", e.g. tas'],
  [/^roles\./, 'a role lists people by their names under people: oncall: [alice, bob]'],
  [/^environments$/, 'define at least one environment under environments:'],
  [/^people$/, 'name everyone who may use the bot: alice: { slack: U01ALICE }'],
];

/** The standing advice for a config path, if there is any. */
export function hintFor(path: readonly PathSegment[]): string | undefined {
  const text = formatPath(path);
  return HINTS.find(([pattern]) => pattern.test(text))?.[1];
}
