import { readEnvOptions } from '../config/env-options.js';
import { parseConfig } from '../config/load-config.js';

/**
 * A config with the keys most files use, parsed once while a startup snapshot is built. A
 * snapshot keeps the bytecode of the functions that ran before it was taken; the YAML parser's
 * and the schema's would otherwise be compiled on every cold start, about a third of the time
 * `check` spends in its own code. The result is thrown away: only the compiled functions stay.
 */
const SAMPLE = `command: tas
people:
  alice: { slack: U01ALICE, discord: "123456789012345678" }
  dave: { slack: U04DAVE }
roles:
  oncall: [alice]
  lead: [dave]
defaultEnvironment: prod
environments:
  prod:
    platform: swarm
    stack: prod
    docker: { host: "unix:///var/run/docker.sock", timeout: 30s }
    services: [backend, frontend]
    probes:
      - { name: liveness, url: "http://backend:8080/status", expect: { status: 200, json: { status: OK } } }
    logs: { maxBytes: 1048576, maxSeconds: 60 }
    channels:
      ops: { slack: C01OPS }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
  staging:
    platform: compose
    stack: staging
    docker: { host: "tcp://127.0.0.1:2375" }
    services: [backend]
    compose: { oneShot: [migrate] }
    policy:
      read: [oncall]
`;

export function warmUpConfig(): void {
  parseConfig(SAMPLE, {}, 'sample.yml');
  readEnvOptions({});
}
