import { describe, expect, it } from 'vitest';
import {
  COMPOSE_IMAGE_LABEL,
  PREVIOUS_IMAGE_LABEL,
} from '../../../../src/infra/compose/compose-labels.js';
import { creationBody } from '../../../../src/infra/compose/creation-body.js';
import type { EngineContainer } from '../../../../src/infra/compose/engine-container.js';
import { container } from './container-fixtures.js';

const oldImageDefaults = {
  Env: ['PATH=/usr/local/bin:/usr/bin'],
  Cmd: ['uvicorn', 'tripl.main:app'],
  Labels: { 'org.opencontainers.image.version': '1.3.0' },
  WorkingDir: '/app',
};

describe('creationBody', () => {
  it('keeps what the service set and leaves the old image’s defaults to the new image', () => {
    const old = container({ labels: { 'org.opencontainers.image.version': '1.3.0' } });
    const { body } = creationBody(
      { ...old, Config: { ...old.Config, WorkingDir: '/app' } },
      { image: 'ghcr.io/vladenisov/tripl:1.2.0', imageId: 'sha256:2222', oldImageDefaults },
    );
    expect(body.Image).toBe('ghcr.io/vladenisov/tripl:1.2.0');
    expect(body.Env).toEqual(['DATABASE_URL=postgresql://tripl@postgres/tripl']);
    expect(body).not.toHaveProperty('Cmd');
    expect(body).not.toHaveProperty('WorkingDir');
    expect(body).not.toHaveProperty('Hostname');
    expect(body.Labels).toEqual({
      'com.docker.compose.project': 'proj',
      'com.docker.compose.service': 'app',
      'com.docker.compose.container-number': '1',
      [PREVIOUS_IMAGE_LABEL]: 'ghcr.io/vladenisov/tripl:1.3.0',
      [COMPOSE_IMAGE_LABEL]: 'sha256:2222',
    });
    expect(body.HostConfig).toEqual(old.HostConfig);
    expect(body.NetworkingConfig).toEqual({ EndpointsConfig: { host: {} } });
  });

  it('keeps a command that differs from the image’s', () => {
    const old = container();
    const { body } = creationBody(
      { ...old, Config: { ...old.Config, Cmd: ['celery', 'worker'] } },
      { image: 'x:2', imageId: undefined, oldImageDefaults },
    );
    expect(body.Cmd).toEqual(['celery', 'worker']);
  });

  it('creates on the primary network and connects the others afterwards, without the old short-id alias', () => {
    const old: EngineContainer = {
      ...container({ id: 'abcdef123456789' }),
      HostConfig: { NetworkMode: 'proj_default' },
      NetworkSettings: {
        Networks: {
          proj_default: { Aliases: ['app', 'abcdef123456'] },
          proj_backend: { Aliases: ['app'], IPAMConfig: null },
        },
      },
    };
    const { body, laterNetworks } = creationBody(old, {
      image: 'x:2',
      imageId: undefined,
      oldImageDefaults,
    });
    expect(body.NetworkingConfig).toEqual({
      EndpointsConfig: { proj_default: { Aliases: ['app'] } },
    });
    expect(laterNetworks).toEqual([{ name: 'proj_backend', endpoint: { Aliases: ['app'] } }]);
  });
});
