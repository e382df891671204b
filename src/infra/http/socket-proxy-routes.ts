const API = String.raw`/v1\.41`;
const ID = String.raw`[A-Za-z0-9][A-Za-z0-9_.-]*`;

/** The reads the bot makes: `_ping`, `version`, services (list, inspect, logs), tasks. */
export const READ_PATHS: readonly RegExp[] = [
  `^(${API})?/_ping$`,
  `^${API}/version$`,
  `^${API}/services$`,
  `^${API}/services/${ID}$`,
  `^${API}/services/${ID}/logs$`,
  `^${API}/tasks$`,
  `^${API}/tasks/${ID}$`,
].map((source) => new RegExp(source));

/** `POST /v1.41/services/{id}/update`: the one write, its service id or name captured. */
export const UPDATE_PATH = new RegExp(`^${API}/services/(${ID})/update$`);

/** Request headers a read passes on; the rest (auth, hop-by-hop, bodies) stays here. */
export const READ_HEADERS: readonly string[] = ['accept', 'user-agent'];

/** Paths the Engine would clean or decode into something else are refused before any match. */
export function splitTarget(url: string): { path: string; query: string } | undefined {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (!path.startsWith('/') || /\/\/|\\|%|#|(^|\/)\.\.?(\/|$)/.test(path)) return undefined;
  return { path, query: at < 0 ? '' : url.slice(at + 1) };
}
