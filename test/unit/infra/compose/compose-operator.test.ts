import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createComposeOperator } from '../../../../src/infra/compose/compose-operator.js';
import { toComposeService } from '../../../../src/infra/compose/to-compose-service.js';
import { container } from './container-fixtures.js';

describe('createComposeOperator', () => {
  // Never dialled: `unsupported` decides from the change alone.
  const operator = createComposeOperator({
    docker: new Docker({ socketPath: '/nonexistent.sock' }),
    project: 'tripl',
  });
  const worker = toComposeService(
    'tripl',
    'celery-worker',
    [container({ service: 'celery-worker' })],
    false,
  );

  it('says plainly that scaling needs the compose file, and how to do it on the host', () => {
    const why = operator.unsupported?.({ kind: 'scale', replicas: 3 }, worker);
    expect(why).toContain('keeps the number of replicas in the compose file');
    expect(why).toContain('`docker compose up -d --scale celery-worker=3`');
  });

  it('points a stop at docker compose stop', () => {
    expect(operator.unsupported?.({ kind: 'scale', replicas: 0 }, worker)).toContain(
      '`docker compose stop celery-worker`',
    );
  });

  it('does not rerun a one-shot service', () => {
    const migrate = toComposeService(
      'tripl',
      'migrate',
      [container({ service: 'migrate', status: 'exited' })],
      true,
    );
    expect(operator.unsupported?.({ kind: 'restart' }, migrate)).toContain(
      'migrate is a one-shot service',
    );
  });

  it('supports restart, rollback and image changes', () => {
    expect(operator.unsupported?.({ kind: 'restart' }, worker)).toBeUndefined();
    expect(operator.unsupported?.({ kind: 'rollback' }, worker)).toBeUndefined();
    expect(operator.unsupported?.({ kind: 'image', image: 'x:2' }, worker)).toBeUndefined();
  });
});
