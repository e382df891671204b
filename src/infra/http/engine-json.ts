import { request } from 'node:http';

/** GET on the Engine's socket for the proxy's own checks; the answer is the Engine's, trusted. */
export function engineJson(
  socketPath: string,
  path: string,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const inspect = request(
      { socketPath, method: 'GET', path, headers: { host: 'docker' } },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => {
          try {
            resolve({
              status: answer.statusCode ?? 502,
              json: text === '' ? {} : JSON.parse(text),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        answer.on('error', reject);
      },
    );
    // A stalled Engine must not hold a checked update (or the proxy's start) forever.
    inspect.setTimeout(10_000, () =>
      inspect.destroy(new Error(`the Engine did not answer GET ${path} within 10 s`)),
    );
    inspect.on('error', reject);
    inspect.end();
  });
}
