import { randomUUID } from 'node:crypto';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.js';
import { startAwsStandIn, type AwsStandIn } from '../../stand-ins/aws/aws-stand-in.js';
import {
  composeFixture,
  freePort,
  uniqueProject,
  type ComposeFixture,
} from '../compose/compose-fixture.js';
import { startPlatformHarness, textOf, type PlatformHarness } from '../compose/platform-harness.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  testImage,
  uniqueStack,
} from '../docker/test-swarm.js';

/** A namespace on a loopback registry no other test uses; the images are local tags of the fixture. */
const namespace = `localhost:5000/swap${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const EVIL = `${namespace}/evil`;
const MIRROR = `${namespace}/mirror`;
const images = `    images: { allowRepositories: [${MIRROR}] }`;

/** The "What will change" rows of an approval card. */
function changeRows(card: Reply): string[] {
  const block = card.blocks.find((b) => b.kind === 'rows');
  return block?.kind === 'rows' ? block.rows.map((r) => r.value) : [];
}

function refusalText(from: string, to: string, fromRef: string, toRef: string): string {
  return `Refused: this would change the image repository of app from ${from} to ${to} (${fromRef} → ${toRef}).`;
}

/** Tags of the fixture image under the test's own repositories, removed again afterwards. */
async function tagFixture(docker: Docker): Promise<() => Promise<void>> {
  const tags = [`${EVIL}:1`, `${MIRROR}:1`, `${MIRROR}:2`];
  for (const tag of tags) {
    const [repo = '', version = ''] = [tag.slice(0, tag.lastIndexOf(':')), tag.split(':').pop()];
    await docker.getImage(testImage).tag({ repo, tag: version });
  }
  return async () => {
    for (const tag of tags)
      await docker
        .getImage(tag)
        .remove({ force: true, noprune: true })
        .catch(() => undefined);
  };
}

describe('a rollback to another image repository on Swarm', () => {
  let docker: Docker;
  let h: PlatformHarness;
  let stack: string;
  let untag: () => Promise<void>;
  let services: ReturnType<typeof serviceFactory>;

  const inspect = async () =>
    (await docker.getService(`${stack}_app`).inspect()) as {
      Version: { Index: number };
      Spec: { TaskTemplate: { ContainerSpec: { Image: string } } };
    };

  beforeAll(async () => {
    docker = await connectTestSwarm();
    untag = await tagFixture(docker);
    stack = uniqueStack();
    services = serviceFactory(docker);
    await services.create(`${stack}_app`, {
      script: 'trap "exit 0" TERM; while true; do sleep 1; done',
    });
    h = await startPlatformHarness(`    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
${images}
    services: [app]`);
  });
  afterAll(async () => {
    await h?.close();
    await services?.removeAll();
    await untag?.();
  });

  it('refuses a repository the config does not allow at request time, and the service stays as it was', async () => {
    const before = await inspect();
    const reply = await h.say('alice', `/tas rollback app ${EVIL}:1`);
    expect(reply.card).toBeUndefined();
    expect(reply.title).toBe(
      refusalText(
        'docker.io/library/tas-fixture',
        EVIL,
        'docker.io/library/tas-fixture:1',
        `${EVIL}:1`,
      ),
    );
    expect(textOf(reply)).toContain(
      `Allowed repositories for app in \`sys\`: docker.io/library/tas-fixture, ${MIRROR}.`,
    );
    expect(textOf(reply)).toContain('`environments.sys.images.allowRepositories`');
    const after = await inspect();
    expect(after.Version.Index).toBe(before.Version.Index);
    expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe(testImage);
  });

  it('rolls back to a tag with full references on the card, and the Engine runs exactly that reference', async () => {
    const { card, verdict } = await h.approved('/tas rollback app 2');
    expect(changeRows(card)[0]).toMatch(
      /^image 1→2 \(docker\.io\/library\/tas-fixture:1 → docker\.io\/library\/tas-fixture:2\) \(spec version \d+\)$/,
    );
    expect(changeRows(card).join('\n')).not.toContain('repository changes');
    expect(verdict.title).toBe('Verified: rollback app: done and verified');
    expect((await inspect()).Spec.TaskTemplate.ContainerSpec.Image).toBe(
      'docker.io/library/tas-fixture:2',
    );
  });

  it('shows an allowed repository change as a loud line, and after approval the Engine runs exactly the new reference', async () => {
    const { card, verdict } = await h.approved(`/tas rollback app ${MIRROR}:2`);
    expect(changeRows(card)).toEqual([
      expect.stringMatching(
        /^image docker\.io\/library\/tas-fixture:2 → localhost:5000\/swap[0-9a-f]{8}\/mirror:2 \(spec version \d+\)$/,
      ),
      `⚠ image repository changes: docker.io/library/tas-fixture → ${MIRROR}`,
    ]);
    expect(verdict.title).toBe('Verified: rollback app: done and verified');
    expect((await inspect()).Spec.TaskTemplate.ContainerSpec.Image).toBe(`${MIRROR}:2`);
  });

  it('refuses a rollback to a previous spec on a repository the config does not allow', async () => {
    const before = await inspect();
    const reply = await h.say('alice', '/tas rollback app');
    expect(reply.card).toBeUndefined();
    expect(reply.title).toBe(
      refusalText(
        MIRROR,
        'docker.io/library/tas-fixture',
        `${MIRROR}:2`,
        'docker.io/library/tas-fixture:2',
      ),
    );
    expect((await inspect()).Version.Index).toBe(before.Version.Index);
  });

  it('refuses, at execution, a plan altered in the store after the card was shown, and applies nothing', async () => {
    const tag = await h.say('alice', '/tas rollback app 1');
    const id = tag.card?.requestId ?? '';
    expect(changeRows(tag)[0]).toContain(`(${MIRROR}:2 → ${MIRROR}:1)`);
    const before = await inspect();
    // What someone with write access to Redis could do between the card and the approval.
    await h.core.operations?.store.update(id, (current) => ({
      request: {
        ...current,
        steps: current.steps.map((step) => ({
          ...step,
          change: { kind: 'image', image: `${EVIL}:1` },
        })),
      },
      result: true,
    }));
    await h.say('dave', `/tas approve ${id}`);
    const verdict = await h.waitForMessage('with the refusal', (d) =>
      d.reply.title.startsWith('Failed: rollback app: not run, the plan does not match the card'),
    );
    expect(textOf(verdict.reply)).toMatch(
      /the stored plan \(sha256:[0-9a-f]{12}\) is not the one the card showed/,
    );
    expect((await h.core.operations?.store.get(id))?.state).toBe('failed');
    const after = await inspect();
    expect(after.Version.Index).toBe(before.Version.Index);
    expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe(`${MIRROR}:2`);
  });
});

describe('a rollback to another image repository on Compose', () => {
  let docker: Docker;
  let fixture: ComposeFixture;
  let h: PlatformHarness;
  let untag: () => Promise<void>;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    untag = await tagFixture(docker);
    fixture = composeFixture(docker, uniqueProject());
    await fixture.create({
      service: 'app',
      script: 'tcp-service.sh',
      env: { NAME: 'app', PORT: await freePort() },
    });
    h = await startPlatformHarness(`    platform: compose
    stack: ${fixture.project}
    docker: { host: "${testDockerHost()}" }
${images}
    services: [app]`);
  });
  afterAll(async () => {
    await h?.close();
    await fixture?.removeAll();
    await untag?.();
  });

  it('refuses a repository the config does not allow, and the container is untouched', async () => {
    const before = await fixture.inspect('app');
    const reply = await h.say('alice', `/tas rollback app ${EVIL}:1`);
    expect(reply.card).toBeUndefined();
    expect(reply.title).toBe(
      refusalText(
        'docker.io/library/tas-fixture',
        EVIL,
        'docker.io/library/tas-fixture:1',
        `${EVIL}:1`,
      ),
    );
    const after = await fixture.inspect('app');
    expect(after.Id).toBe(before.Id);
    expect(after.Config.Image).toBe(testImage);
  });

  it('rolls back to a tag with full references, recreating the container on exactly that reference', async () => {
    const { card, verdict } = await h.approved('/tas rollback app 2');
    expect(changeRows(card)[0]).toMatch(
      /^image 1→2 \(docker\.io\/library\/tas-fixture:1 → docker\.io\/library\/tas-fixture:2\)/,
    );
    expect(verdict.title).toBe('Verified: rollback app: done and verified');
    expect((await fixture.inspect('app')).Config.Image).toBe('docker.io/library/tas-fixture:2');
  });

  it('shows an allowed repository change as a loud line, and the container runs exactly the new reference', async () => {
    const { card, verdict } = await h.approved(`/tas rollback app ${MIRROR}:2`);
    expect(changeRows(card)[1]).toBe(
      `⚠ image repository changes: docker.io/library/tas-fixture → ${MIRROR}`,
    );
    expect(verdict.title).toBe('Verified: rollback app: done and verified');
    expect((await fixture.inspect('app')).Config.Image).toBe(`${MIRROR}:2`);
  });
});

describe('a rollback to another image repository on ECS (stand-in)', () => {
  const CLUSTER = 'swap-cluster';
  const SERVICE = 'swap-app-Service';
  let aws: AwsStandIn;
  let h: PlatformHarness;
  let ecs: ECSClient;

  const definitionImage = async () => {
    const arn = aws.service(CLUSTER, SERVICE)?.taskDefinition ?? '';
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    return { arn, image: described.taskDefinition?.containerDefinitions?.[0]?.image };
  };

  beforeAll(async () => {
    aws = await startAwsStandIn();
    aws.createLogGroup('/ecs/swap-app');
    const definition = aws.registerTaskDefinition({
      family: 'swap-app',
      containerDefinitions: [
        {
          name: 'api',
          image: 'ghcr.io/acme/app:9.2.0',
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/swap-app', 'awslogs-stream-prefix': 'swap-app' },
          },
        },
      ],
    });
    aws.createService({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: definition,
      desiredCount: 1,
    });
    const credentials = { accessKeyId: 'AKIDSTANDIN000000000', secretAccessKey: 'stand-in-secret' };
    ecs = new ECSClient({ endpoint: aws.url, region: aws.region, credentials });
    h = await startPlatformHarness(
      `    platform: ecs
    stack: swap
    ecs: { cluster: ${CLUSTER}, region: ${aws.region}, endpoint: "${aws.url}", logsEndpoint: "${aws.url}", services: { app: ${SERVICE} } }
    images: { allowRepositories: [ghcr.io/acme/app-mirror] }
    services: [app]`,
      { awsCredentials: credentials },
    );
  });
  afterAll(async () => {
    await h?.close();
    ecs?.destroy();
    await aws?.close();
  });

  it('refuses another repository with the same tag, registering no task definition', async () => {
    const before = await definitionImage();
    const reply = await h.say('alice', '/tas rollback app ghcr.io/evil/app:9.2.0');
    expect(reply.card).toBeUndefined();
    expect(reply.title).toBe(
      refusalText(
        'ghcr.io/acme/app',
        'ghcr.io/evil/app',
        'ghcr.io/acme/app:9.2.0',
        'ghcr.io/evil/app:9.2.0',
      ),
    );
    expect(aws.targets()).not.toContain('RegisterTaskDefinition');
    expect(await definitionImage()).toEqual(before);
  });

  it('rolls back to a tag with full references, as a new revision on exactly that reference', async () => {
    const { card, verdict } = await h.approved('/tas rollback app 9.1.0');
    expect(changeRows(card)[0]).toMatch(
      /^image 9\.2\.0→9\.1\.0 \(ghcr\.io\/acme\/app:9\.2\.0 → ghcr\.io\/acme\/app:9\.1\.0\)/,
    );
    expect(verdict.title).toBe('Verified: rollback app: done and verified');
    const after = await definitionImage();
    expect(after.arn).toMatch(/task-definition\/swap-app:2$/);
    expect(after.image).toBe('ghcr.io/acme/app:9.1.0');
  });

  it('shows an allowed repository change as a loud line, and the task definition names exactly the new reference', async () => {
    const digest = `sha256:${'e3'.repeat(32)}`;
    const { card, verdict } = await h.approved(
      `/tas rollback app ghcr.io/acme/app-mirror:9.1.0@${digest}`,
    );
    expect(changeRows(card)).toEqual([
      expect.stringMatching(
        /^image ghcr\.io\/acme\/app:9\.1\.0 → ghcr\.io\/acme\/app-mirror:9\.1\.0@sha256:(e3){32} \(spec version \d+\)$/,
      ),
      '⚠ image repository changes: ghcr.io/acme/app → ghcr.io/acme/app-mirror',
    ]);
    expect(verdict.title).toBe('Verified: rollback app: done and verified');
    expect((await definitionImage()).image).toBe(`ghcr.io/acme/app-mirror:9.1.0@${digest}`);
  });
});
