import { describe, expect, it } from 'vitest';
import { decideUpdate } from '../../../../src/infra/http/socket-proxy-decision.js';

const spec = (replicas = 1, env: string[] = []) => ({
  Name: 'prod_backend',
  TaskTemplate: { ForceUpdate: 0, ContainerSpec: { Image: 'app:1', Env: env } },
  Mode: { Replicated: { Replicas: replicas } },
});
const rules = { updatePrefixes: ['prod_'], ownService: { ids: ['own1'], names: ['prod_proxy'] } };
const inspected = { ID: 'svc1', Version: { Index: 7 }, Spec: spec() };

describe('decideUpdate', () => {
  describe('when the update changes only what the bot changes, at the inspected version', () => {
    it('sends it to the inspected ID and version', () => {
      expect(decideUpdate(inspected, spec(2), { version: 7 }, rules)).toEqual({
        ok: true,
        id: 'svc1',
        version: 7,
      });
    });
  });

  describe('when the service runs the proxy', () => {
    it('refuses it by ID and by name', () => {
      const byId = { ...inspected, ID: 'own1' };
      const byName = { ...inspected, Spec: { ...spec(), Name: 'prod_proxy' } };
      for (const service of [byId, byName])
        expect(decideUpdate(service, spec(2), { version: 7 }, rules)).toMatchObject({
          ok: false,
          status: 403,
        });
    });
  });

  describe('when the update changes more than the three fields', () => {
    it('refuses it with 403, naming why', () => {
      expect(decideUpdate(inspected, spec(1, ['PLANTED=1']), { version: 7 }, rules)).toEqual({
        ok: false,
        status: 403,
        reason: 'the update changes more than ForceUpdate, the replica count or the image tag',
      });
    });
  });

  describe('when the version is not the inspected one', () => {
    it('answers as the Engine does, so the client retries', () => {
      expect(decideUpdate(inspected, spec(), { version: 6 }, rules)).toEqual({
        ok: false,
        status: 500,
        reason: 'update out of sequence (the service is at version 7)',
      });
    });
  });
});
