import { describe, expect, it } from 'vitest';
import { onlineReplicas } from '../../../../src/infra/redis/durable-writes.js';

const primary = (...replicas: string[]) =>
  ['# Replication', 'role:master', `connected_slaves:${replicas.length}`, ...replicas, ''].join(
    '\r\n',
  );

describe('onlineReplicas', () => {
  describe('when the primary lists replicas', () => {
    it('counts those online with a fresh acknowledgement', () => {
      expect(
        onlineReplicas(
          primary(
            'slave0:ip=127.0.0.1,port=7001,state=online,offset=42,lag=0',
            'slave1:ip=127.0.0.1,port=7002,state=online,offset=40,lag=7',
            'slave2:ip=127.0.0.1,port=7003,state=wait_bgsave,offset=0,lag=0',
          ),
        ),
      ).toBe(1);
    });
  });

  describe('when the server is itself a replica', () => {
    it('counts none, since writes cannot be acknowledged there', () => {
      expect(onlineReplicas('# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\n')).toBe(0);
    });
  });
});
