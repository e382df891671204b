import { describe, expect, it } from 'vitest';
import {
  containerIdFromMountinfo,
  findOwnService,
} from '../../../../src/infra/http/socket-proxy-self.js';

const id = 'a'.repeat(64);
const task = {
  Config: {
    Labels: { 'com.docker.swarm.service.id': 'svc9', 'com.docker.swarm.service.name': 'ops_proxy' },
  },
};

describe('containerIdFromMountinfo', () => {
  it('reads the ID of the container /etc/hostname comes from', () => {
    const line = `612 600 254:1 /var/lib/docker/containers/${id}/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n`;
    expect(containerIdFromMountinfo(`1 0 0:1 / / rw - overlay overlay rw\n${line}`)).toBe(id);
    expect(containerIdFromMountinfo('1 0 0:1 / / rw - ext4 /dev/vda1 rw\n')).toBeUndefined();
  });
});

describe('findOwnService', () => {
  describe('when the proxy runs as a swarm task', () => {
    it('protects the service of its container and the configured name', async () => {
      const asked: string[] = [];
      const found = await findOwnService('ops_proxy_alias', id, (path) => {
        asked.push(path);
        return Promise.resolve({ status: 200, json: task });
      });
      expect(asked).toEqual([`/v1.41/containers/${id}/json`]);
      expect(found).toMatchObject({
        ok: true,
        own: { ids: ['svc9'], names: ['ops_proxy_alias', 'ops_proxy'] },
      });
    });
  });

  describe('when the proxy is no container of this Engine', () => {
    it('protects only the configured name', async () => {
      const notFound = () => Promise.resolve({ status: 404, json: {} });
      expect(await findOwnService('ops_proxy', id, notFound)).toMatchObject({
        ok: true,
        own: { ids: [], names: ['ops_proxy'] },
      });
      expect(await findOwnService(undefined, undefined, notFound)).toMatchObject({
        ok: true,
        own: { ids: [], names: [] },
      });
    });
  });

  describe('when the Engine cannot say', () => {
    it('fails, so the proxy does not start unprotected', async () => {
      const down = () => Promise.reject(new Error('connect ENOENT /var/run/docker.sock'));
      expect(await findOwnService(undefined, id, down)).toEqual({
        ok: false,
        reason: `cannot ask the Engine about container ${id}: Error: connect ENOENT /var/run/docker.sock`,
      });
      const broken = () => Promise.resolve({ status: 500, json: {} });
      expect(await findOwnService(undefined, id, broken)).toMatchObject({ ok: false });
    });
  });
});
