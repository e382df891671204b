import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins of the Amazon ECS and CloudWatch Logs JSON 1.1 APIs (one server for both, told
 * apart by `X-Amz-Target`), enough for the real AWS SDK v3 clients: DescribeServices,
 * UpdateService, DescribeTaskDefinition, ListTaskDefinitions, RegisterTaskDefinition, ListTasks, DescribeTasks,
 * StopTask (recorded: the bot must never call it), FilterLogEvents and GetLogEvents. Requests are
 * SigV4-signed by the SDK; the signature is not checked. Node built-ins only.
 *
 * A deployment rolls out one step per DescribeServices call: new tasks go PROVISIONING →
 * PENDING → RUNNING, then the old tasks stop and the PRIMARY deployment is COMPLETED.
 */
const REGION = 'us-gov-east-1';
const ACCOUNT = '123456789012';
const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const LOGS_PREFIX = 'Logs_20140328.';
const PAGE = 25;

type Json = Record<string, unknown>;

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential?: boolean;
  readonly logConfiguration?: {
    readonly logDriver: string;
    readonly options?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

interface TaskDefinitionRecord extends Json {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerDefinitions: ContainerDefinition[];
  status: string;
}

interface Deployment extends Json {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  launchType: string;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
}

interface Task extends Json {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: string;
  createdAt: number;
  startedBy: string;
  group: string;
  launchType: string;
  containers: Json[];
}

interface Service {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  cluster: string;
  desiredCount: number;
  taskDefinition: string;
  deployments: Deployment[];
  events: { id: string; createdAt: number; message: string }[];
  createdAt: number;
}

interface LogEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
}

export interface AwsCall {
  readonly target: string;
  readonly body: Json;
  /** The error type the stand-in answered with (`ClientException`, …); absent on success. */
  error?: string;
}

const now = (): number => Date.now() / 1000;
/** A request field as text, or the fallback when it is absent or not text. */
const str = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : fallback;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

class AwsError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export async function startAwsStandIn() {
  const definitions = new Map<string, TaskDefinitionRecord>();
  const services = new Map<string, Service>();
  const tasks = new Map<string, Task>();
  const logs = new Map<string, LogEvent[]>();
  const calls: AwsCall[] = [];
  /** Deployments of these services fail: their tasks never start, the circuit breaker trips. */
  const failing = new Set<string>();

  const clusterArn = (cluster: string) =>
    cluster.startsWith('arn:')
      ? cluster
      : `arn:aws-us-gov:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`;
  const clusterName = (cluster: string) => cluster.split('/').pop() ?? cluster;
  const serviceKey = (cluster: string, service: string) =>
    `${clusterName(cluster)}/${service.split('/').pop() ?? service}`;

  function registerTaskDefinition(input: {
    family: string;
    containerDefinitions: ContainerDefinition[];
    [key: string]: unknown;
  }): string {
    const revision = [...definitions.values()].filter((d) => d.family === input.family).length + 1;
    const arn = `arn:aws-us-gov:ecs:${REGION}:${ACCOUNT}:task-definition/${input.family}:${revision}`;
    definitions.set(arn, {
      ...input,
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
    });
    return arn;
  }

  function definition(reference: string): TaskDefinitionRecord {
    const found =
      definitions.get(reference) ??
      [...definitions.values()].find(
        (d) =>
          `${d.family}:${d.revision}` === reference ||
          d.taskDefinitionArn.endsWith(`/${reference}`),
      );
    if (found === undefined || found.status === 'DELETED')
      throw new AwsError('ClientException', 'Unable to describe task definition.');
    return found;
  }

  function log(stream: string, message: string, group?: string): void {
    for (const [name, events] of logs)
      if (group === undefined || name === group)
        events.push({ logStreamName: stream, timestamp: Date.now(), message });
  }

  function startTask(service: Service, deployment: Deployment, running: boolean): Task {
    const id = hex(16);
    const def = definition(deployment.taskDefinition);
    const task: Task = {
      taskArn: `arn:aws-us-gov:ecs:${REGION}:${ACCOUNT}:task/${service.cluster}/${id}`,
      clusterArn: service.clusterArn,
      taskDefinitionArn: deployment.taskDefinition,
      lastStatus: running ? 'RUNNING' : 'PROVISIONING',
      desiredStatus: 'RUNNING',
      createdAt: now(),
      ...(running && { startedAt: now() }),
      startedBy: deployment.id,
      group: `service:${service.serviceName}`,
      launchType: 'FARGATE',
      healthStatus: 'UNKNOWN',
      containers: def.containerDefinitions.map((c) => ({
        name: c.name,
        lastStatus: running ? 'RUNNING' : 'PENDING',
        image: c.image,
      })),
    };
    tasks.set(task.taskArn, task);
    if (running) taskStarted(service, task);
    return task;
  }

  function taskStarted(service: Service, task: Task): void {
    const def = definition(task.taskDefinitionArn);
    for (const container of def.containerDefinitions) {
      const options = container.logConfiguration?.options ?? {};
      const group = options['awslogs-group'];
      if (group === undefined) continue;
      const stream = `${options['awslogs-stream-prefix'] ?? 'ecs'}/${container.name}/${task.taskArn.split('/').pop() ?? ''}`;
      log(
        stream,
        `{"level":"info","msg":"${service.serviceName} task ${task.taskArn.split('/').pop() ?? ''} started, API listening on :5000"}`,
        group,
      );
    }
  }

  function stopTask(task: Task, reason: string, stopCode: string): void {
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.stoppedAt = now();
    task.containers = task.containers.map((c) => ({ ...c, lastStatus: 'STOPPED', exitCode: 0 }));
  }

  function tasksOf(deployment: Deployment): Task[] {
    return [...tasks.values()].filter(
      (t) => t.startedBy === deployment.id && t.desiredStatus === 'RUNNING',
    );
  }

  function newDeployment(service: Service, taskDefinition: string, running: boolean): Deployment {
    const deployment: Deployment = {
      id: `ecs-svc/${String(Math.floor(Math.random() * 1e18)).padStart(18, '0')}`,
      status: 'PRIMARY',
      taskDefinition,
      desiredCount: service.desiredCount,
      pendingCount: 0,
      runningCount: 0,
      failedTasks: 0,
      createdAt: now(),
      updatedAt: now(),
      launchType: 'FARGATE',
      rolloutState: running ? 'COMPLETED' : 'IN_PROGRESS',
      rolloutStateReason: running ? 'ECS deployment completed.' : 'ECS deployment in progress.',
    };
    for (let i = 0; i < service.desiredCount; i += 1) startTask(service, deployment, running);
    return deployment;
  }

  function event(service: Service, message: string): void {
    service.events.unshift({
      id: hex(16),
      createdAt: now(),
      message: `(service ${service.serviceName}) ${message}`,
    });
  }

  /** One rollout step for every deployment in progress. */
  function advance(service: Service): void {
    const primary = service.deployments.find((d) => d.status === 'PRIMARY');
    if (primary === undefined || primary.rolloutState !== 'IN_PROGRESS') return;
    const fresh = tasksOf(primary);
    if (failing.has(service.serviceName) && fresh.some((t) => t.lastStatus === 'PENDING')) {
      for (const task of fresh) {
        stopTask(
          task,
          'CannotPullContainerError: pull access denied for ghcr.io/dfpc-coe/cloudtak',
          'TaskFailedToStart',
        );
        task.containers = task.containers.map((c) => ({ ...c, exitCode: undefined }));
      }
      primary.failedTasks = fresh.length;
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      event(service, `deployment ${primary.id} deployment failed: tasks failed to start.`);
      return;
    }
    const next: Record<string, string> = { PROVISIONING: 'PENDING', PENDING: 'RUNNING' };
    for (const task of fresh) {
      const to = next[task.lastStatus];
      if (to === undefined) continue;
      task.lastStatus = to;
      if (to === 'RUNNING') {
        task.startedAt = now();
        task.containers = task.containers.map((c) => ({ ...c, lastStatus: 'RUNNING' }));
        taskStarted(service, task);
        event(service, `has started 1 tasks: (task ${task.taskArn.split('/').pop() ?? ''}).`);
      }
    }
    if (fresh.length >= primary.desiredCount && fresh.every((t) => t.lastStatus === 'RUNNING')) {
      for (const old of service.deployments.filter((d) => d !== primary)) {
        for (const task of tasksOf(old))
          stopTask(
            task,
            `Scaling activity initiated by (deployment ${primary.id})`,
            'ServiceSchedulerInitiated',
          );
      }
      service.deployments = [primary];
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = 'ECS deployment completed.';
      event(service, `deployment ${primary.id} deployment completed.`);
      event(service, 'has reached a steady state.');
    }
    primary.updatedAt = now();
  }

  function counted(service: Service): Json {
    for (const deployment of service.deployments) {
      const live = tasksOf(deployment);
      deployment.runningCount = live.filter((t) => t.lastStatus === 'RUNNING').length;
      deployment.pendingCount = live.length - deployment.runningCount;
    }
    const all = service.deployments.flatMap(tasksOf);
    return {
      serviceArn: service.serviceArn,
      serviceName: service.serviceName,
      clusterArn: service.clusterArn,
      status: 'ACTIVE',
      desiredCount: service.desiredCount,
      runningCount: all.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingCount: all.filter((t) => t.lastStatus !== 'RUNNING').length,
      launchType: 'FARGATE',
      taskDefinition: service.taskDefinition,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      deployments: service.deployments.map((d) => ({ ...d })),
      events: service.events.slice(0, 100),
      createdAt: service.createdAt,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
    };
  }

  function found(cluster: unknown, name: unknown): Service {
    const service = services.get(serviceKey(str(cluster, 'default'), str(name, '')));
    if (service === undefined) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    return service;
  }

  const ecs: Record<string, (body: Json) => Json> = {
    DescribeServices(body) {
      const cluster = str(body.cluster, 'default');
      const names = (body.services as string[] | undefined) ?? [];
      const described: Json[] = [];
      const failures: Json[] = [];
      for (const name of names) {
        const service = services.get(serviceKey(cluster, name));
        if (service === undefined) {
          failures.push({
            arn: `arn:aws-us-gov:ecs:${REGION}:${ACCOUNT}:service/${clusterName(cluster)}/${name}`,
            reason: 'MISSING',
          });
          continue;
        }
        advance(service);
        described.push(counted(service));
      }
      return { services: described, failures };
    },
    UpdateService(body) {
      const service = found(body.cluster, body.service);
      if (typeof body.desiredCount === 'number') service.desiredCount = body.desiredCount;
      const changedDefinition =
        typeof body.taskDefinition === 'string' &&
        definition(body.taskDefinition).taskDefinitionArn !== service.taskDefinition;
      if (changedDefinition)
        service.taskDefinition = definition(str(body.taskDefinition)).taskDefinitionArn;
      if (body.forceNewDeployment === true || changedDefinition) {
        for (const deployment of service.deployments) deployment.status = 'ACTIVE';
        service.deployments.unshift(newDeployment(service, service.taskDefinition, false));
      } else if (typeof body.desiredCount === 'number') {
        const primary = service.deployments[0];
        if (primary !== undefined) {
          primary.desiredCount = body.desiredCount;
          const live = tasksOf(primary);
          for (const task of live.slice(body.desiredCount))
            stopTask(task, 'Scaling activity initiated by (service)', 'ServiceSchedulerInitiated');
          for (let i = live.length; i < body.desiredCount; i += 1)
            startTask(service, primary, true);
        }
      }
      return { service: counted(service) };
    },
    DescribeTaskDefinition(body) {
      return { taskDefinition: definition(str(body.taskDefinition)), tags: [] };
    },
    ListTaskDefinitions(body) {
      const prefix = str(body.familyPrefix);
      const status = str(body.status, 'ACTIVE');
      const listed = [...definitions.values()]
        .filter((d) => d.family.startsWith(prefix) && d.status === status)
        .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision)
        .map((d) => d.taskDefinitionArn);
      return { taskDefinitionArns: body.sort === 'DESC' ? listed.reverse() : listed };
    },
    RegisterTaskDefinition(body) {
      const arn = registerTaskDefinition(
        body as { family: string; containerDefinitions: ContainerDefinition[] },
      );
      return { taskDefinition: definitions.get(arn) };
    },
    ListTasks(body) {
      const cluster = clusterName(str(body.cluster, 'default'));
      const wanted = str(body.desiredStatus, 'RUNNING');
      const arns = [...tasks.values()]
        .filter(
          (t) =>
            t.clusterArn === clusterArn(cluster) &&
            (body.serviceName === undefined || t.group === `service:${str(body.serviceName)}`) &&
            t.desiredStatus === wanted,
        )
        .map((t) => t.taskArn);
      return { taskArns: arns };
    },
    DescribeTasks(body) {
      const arns = (body.tasks as string[] | undefined) ?? [];
      return { tasks: arns.flatMap((arn) => tasks.get(arn) ?? []), failures: [] };
    },
    StopTask(body) {
      const task = tasks.get(str(body.task));
      if (task === undefined)
        throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
      stopTask(task, str(body.reason, 'Task stopped by user'), 'UserInitiated');
      return { task };
    },
  };

  const cloudWatch: Record<string, (body: Json) => Json> = {
    FilterLogEvents(body) {
      const events = logs.get(str(body.logGroupName));
      if (events === undefined)
        throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
      const prefix =
        typeof body.logStreamNamePrefix === 'string' ? body.logStreamNamePrefix : undefined;
      const names = Array.isArray(body.logStreamNames)
        ? (body.logStreamNames as string[])
        : undefined;
      const start = typeof body.startTime === 'number' ? body.startTime : 0;
      const matching = events
        .map((e, index) => ({ ...e, eventId: String(index) }))
        .filter(
          (e) =>
            e.timestamp >= start &&
            (prefix === undefined || e.logStreamName.startsWith(prefix)) &&
            (names === undefined || names.includes(e.logStreamName)),
        );
      const offset = Number(body.nextToken ?? 0);
      const page = matching
        .slice(offset, offset + PAGE)
        .map((e) => ({ ...e, ingestionTime: e.timestamp }));
      return {
        events: page,
        ...(offset + PAGE < matching.length && { nextToken: String(offset + PAGE) }),
      };
    },
    GetLogEvents(body) {
      const events = (logs.get(str(body.logGroupName)) ?? []).filter(
        (e) => e.logStreamName === body.logStreamName,
      );
      return {
        events: events.map((e) => ({
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.timestamp,
        })),
        nextForwardToken: 'f/0',
        nextBackwardToken: 'b/0',
      };
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = str(request.headers['x-amz-target'], '');
    const reply = (status: number, body: Json, type?: string) => {
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': hex(16),
        ...(type !== undefined && { 'x-amzn-errortype': type }),
      });
      response.end(JSON.stringify(body));
    };
    let call: AwsCall | undefined;
    try {
      if (request.method !== 'POST' || request.headers.authorization === undefined)
        throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
      call = { target, body };
      calls.push(call);
      const operation = target.startsWith(ECS_PREFIX)
        ? ecs[target.slice(ECS_PREFIX.length)]
        : target.startsWith(LOGS_PREFIX)
          ? cloudWatch[target.slice(LOGS_PREFIX.length)]
          : undefined;
      if (operation === undefined)
        throw new AwsError('UnknownOperationException', `unknown operation ${target}`);
      reply(200, operation(body));
    } catch (error) {
      if (call !== undefined)
        call.error = error instanceof AwsError ? error.type : 'ServerException';
      if (error instanceof AwsError)
        reply(400, { __type: error.type, message: error.message }, error.type);
      else reply(500, { __type: 'ServerException', message: String(error) }, 'ServerException');
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    region: REGION,
    calls,
    registerTaskDefinition,
    /** A service whose tasks run already (one deployment, COMPLETED). */
    createService(input: {
      cluster: string;
      serviceName: string;
      taskDefinition: string;
      desiredCount: number;
    }): void {
      const service: Service = {
        serviceArn: `arn:aws-us-gov:ecs:${REGION}:${ACCOUNT}:service/${input.cluster}/${input.serviceName}`,
        serviceName: input.serviceName,
        clusterArn: clusterArn(input.cluster),
        cluster: input.cluster,
        desiredCount: input.desiredCount,
        taskDefinition: definition(input.taskDefinition).taskDefinitionArn,
        deployments: [],
        events: [],
        createdAt: now(),
      };
      service.deployments.push(newDeployment(service, service.taskDefinition, true));
      event(service, 'has reached a steady state.');
      services.set(serviceKey(input.cluster, input.serviceName), service);
    },
    /** A revision deleted from the account: DescribeTaskDefinition answers ClientException. */
    deleteTaskDefinition(arn: string): void {
      const record = definitions.get(arn);
      if (record === undefined) throw new Error(`no task definition ${arn}`);
      record.status = 'DELETED';
    },
    /** From now on, deployments of this service fail to start their tasks. */
    failDeployments(serviceName: string): void {
      failing.add(serviceName);
    },
    createLogGroup(name: string): void {
      logs.set(name, logs.get(name) ?? []);
    },
    /** Lines a container wrote to one stream, `ageMs` ago. */
    putLogEvents(group: string, stream: string, messages: readonly string[], ageMs = 0): void {
      const events = logs.get(group);
      if (events === undefined) throw new Error(`no log group ${group}`);
      for (const message of messages)
        events.push({ logStreamName: stream, timestamp: Date.now() - ageMs, message });
    },
    /** What the service looks like now (without advancing a rollout). */
    service(cluster: string, name: string) {
      const service = services.get(serviceKey(cluster, name));
      return service === undefined
        ? undefined
        : { ...service, tasks: [...tasks.values()].filter((t) => t.group === `service:${name}`) };
    },
    targets(): string[] {
      return calls.map((c) => c.target.split('.').pop() ?? c.target);
    },
    /** The calls answered with an error, as `Operation: ErrorType`. */
    failedCalls(from = 0): string[] {
      return calls
        .slice(from)
        .filter((c) => c.error !== undefined)
        .map((c) => `${c.target.split('.').pop() ?? c.target}: ${c.error ?? ''}`);
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type AwsStandIn = Awaited<ReturnType<typeof startAwsStandIn>>;
