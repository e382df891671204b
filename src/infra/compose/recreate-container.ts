import { randomBytes } from 'node:crypto';
import { callDocker } from '../docker/call-docker.js';
import { statusCode } from '../docker/to-docker-error.js';
import { creationBody } from './creation-body.js';
import type { EngineContainer, EngineImage } from './engine-container.js';
import type { ComposeProject } from './project-containers.js';

/** Seconds a container gets to stop before it is killed; Compose's default too. */
const STOP_SECONDS = 10;

/**
 * Replaces one container with an identical one on `image`, as `docker compose up -d` does:
 * create the new one under a temporary name, stop the old one, swap the names, start the new
 * one, remove the old one. When any step after the stop fails, the old container is put back
 * (named and running as before) and the new one removed, and the error says so.
 */
export async function recreateContainer(
  project: ComposeProject,
  old: EngineContainer,
  image: string,
): Promise<void> {
  const { docker, call } = project;
  const id = old.Id ?? '';
  const name = (old.Name ?? '').replace(/^\//, '');
  const slow = { ...call, timeoutMs: call.timeoutMs + (STOP_SECONDS + 5) * 1000 };
  const oldImage = await imageInfo(project, old.Image ?? old.Config?.Image ?? '');
  const newImage = (await imageInfo(project, image)) ?? (await pull(project, image));
  const { body, laterNetworks } = creationBody(old, {
    image,
    imageId: newImage.Id,
    oldImageDefaults: oldImage?.Config ?? {},
  });
  const suffix = randomBytes(3).toString('hex');
  const created = (await callDocker(call, 'POST /containers/create', () =>
    docker.createContainer({ ...body, name: `${name}_new_${suffix}` }),
  )) as { id: string };
  const fresh = docker.getContainer(created.id);
  const wasRunning = old.State?.Running === true || old.State?.Restarting === true;
  let renamed = false;
  let stopped = false;
  try {
    for (const network of laterNetworks) {
      await callDocker(call, `POST /networks/${network.name}/connect`, () =>
        docker
          .getNetwork(network.name)
          .connect({ Container: created.id, EndpointConfig: network.endpoint as object }),
      );
    }
    if (wasRunning) {
      await callDocker(
        slow,
        `POST /containers/${id.slice(0, 12)}/stop`,
        () => docker.getContainer(id).stop({ t: STOP_SECONDS }),
        (e) => statusCode(e) === 304,
      );
      stopped = true;
    }
    await callDocker(call, `POST /containers/${id.slice(0, 12)}/rename`, () =>
      docker.getContainer(id).rename({ name: `${name}_old_${suffix}` }),
    );
    renamed = true;
    await callDocker(call, `POST /containers/${created.id.slice(0, 12)}/rename`, () =>
      fresh.rename({ name }),
    );
    await callDocker(call, `POST /containers/${created.id.slice(0, 12)}/start`, () =>
      fresh.start(),
    );
  } catch (error) {
    await putBack(project, { id, name, created: created.id, renamed, restart: stopped });
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not replace ${name} with one on ${image} (${why}); the old container was put back`,
      { cause: error },
    );
  }
  await callDocker(call, `DELETE /containers/${id.slice(0, 12)}`, () =>
    docker.getContainer(id).remove({ force: true, v: false }),
  );
}

async function putBack(
  project: ComposeProject,
  what: { id: string; name: string; created: string; renamed: boolean; restart: boolean },
): Promise<void> {
  const { docker, call } = project;
  const quietly = (action: string, run: () => Promise<unknown>) =>
    callDocker(call, action, run).catch(() => undefined);
  await quietly('DELETE /containers/{new}', () =>
    docker.getContainer(what.created).remove({ force: true }),
  );
  if (what.renamed)
    await quietly('POST /containers/{old}/rename', () =>
      docker.getContainer(what.id).rename({ name: what.name }),
    );
  if (what.restart)
    await quietly('POST /containers/{old}/start', () => docker.getContainer(what.id).start());
}

async function imageInfo(
  project: ComposeProject,
  reference: string,
): Promise<EngineImage | undefined> {
  if (reference === '') return undefined;
  try {
    return (await callDocker(
      project.call,
      `GET /images/${reference}/json`,
      () => project.docker.getImage(reference).inspect(),
      (e) => statusCode(e) === 404,
    )) as EngineImage;
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/** `docker compose up` pulls an image that is not on the host yet; so does this. */
async function pull(project: ComposeProject, image: string): Promise<EngineImage> {
  const { docker } = project;
  const slow = { ...project.call, timeoutMs: Math.max(project.call.timeoutMs, 300_000) };
  try {
    await callDocker(
      slow,
      `POST /images/create?fromImage=${image}`,
      async () => {
        const stream = await docker.pull(image);
        await new Promise<void>((resolve, reject) =>
          docker.modem.followProgress(stream, (error: Error | null) =>
            error ? reject(error) : resolve(),
          ),
        );
      },
      (e) => (statusCode(e) ?? 0) >= 400,
    );
  } catch (error) {
    const said =
      (error as { json?: { message?: string } }).json?.message ??
      (error instanceof Error ? error.message : String(error));
    throw new Error(`image ${image} is not on the Docker host and could not be pulled: ${said}`, {
      cause: error,
    });
  }
  const pulled = await imageInfo(project, image);
  if (pulled === undefined)
    throw new Error(`image ${image} was pulled but the Engine does not know it`);
  return pulled;
}
