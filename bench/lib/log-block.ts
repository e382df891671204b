/**
 * A block of pino JSON lines as a TAS backend writes them during an incident: mostly request
 * lines, with timeouts, HTTP 500s and connection errors carrying stack traces, a deadlock, DMS
 * and cron failures. Deterministic (a seeded generator), so every run scans the same bytes.
 * Lines are separated by `\n`; the block does not end with one.
 */
export function logBlock(lineCount: number, seed = 20261201): string {
  let state = seed >>> 0;
  const rand = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const base = Date.UTC(2026, 11, 1, 8, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < lineCount; i += 1) {
    const head = `{"level":LEVEL,"time":${base + i * 7 + rand(7)},"pid":1,"hostname":"tas-backend-5c9f7d${rand(10)}","reqId":"req-${100000 + rand(900000)}"`;
    const [level, rest] = LINES[i % LINES.length]!(rand);
    lines.push(`${head.replace('LEVEL', String(level))},${rest}}`);
  }
  return lines.join('\n');
}

type LineMaker = (rand: (n: number) => number) => [number, string];

const at = (frames: readonly string[]) => frames.map((f) => `\\n    at ${f}`).join('');

const request: LineMaker = (rand) => {
  const routes = [
    'GET /api/cases/',
    'GET /api/tasks/',
    'POST /api/cases/',
    'GET /api/documents/',
    'PUT /api/tasks/',
  ];
  const [method, path] = (routes[rand(routes.length)] ?? 'GET /api/cases/').split(' ');
  return [
    30,
    `"req":{"method":"${method}","url":"${path}${1000 + rand(9000)}","remoteAddress":"10.0.4.${rand(250)}"},"res":{"statusCode":200},"responseTime":${3 + rand(180)},"msg":"request completed"`,
  ];
};

const LINES: readonly LineMaker[] = [
  request,
  request,
  (rand) => [30, `"msg":"cache hit ratio 0.${50 + rand(49)}","cache":"case-view"`],
  request,
  (rand) => [
    40,
    `"msg":"Timeout: query exceeded 30000ms (case ${1000 + rand(9000)})","query":"SELECT * FROM tasks WHERE case_id = $1","durationMs":${30000 + rand(900)}`,
  ],
  request,
  (rand) => {
    const task = 2000 + rand(3000);
    const message = "Cannot read properties of undefined (reading 'assignee')";
    return [
      50,
      `"err":{"type":"TypeError","message":"${message}","stack":"TypeError: ${message}${at(['TaskService.complete (/app/dist/tasks/task.service.js:214:31)', 'async TaskController.complete (/app/dist/tasks/task.controller.js:88:9)', 'async /app/node_modules/@nestjs/core/router/router-execution-context.js:46:28'])}"},"statusCode":500,"msg":"HTTP 500 POST /api/tasks/${task}/complete"`,
    ];
  },
  request,
  (rand) => {
    const ip = `127.0.3.${10 + rand(20)}`;
    return [
      50,
      `"err":{"type":"SequelizeConnectionRefusedError","message":"connect ECONNREFUSED ${ip}:5432","stack":"SequelizeConnectionRefusedError: connect ECONNREFUSED ${ip}:5432${at(['ConnectionManager.connect (/app/node_modules/sequelize/lib/dialects/postgres/connection-manager.js:182:24)', 'process.processTicksAndRejections (node:internal/process/task_queues:95:5)', 'async ConnectionManager._connect (/app/node_modules/sequelize/lib/dialects/abstract/connection-manager.js:222:24)'])}"},"attempt":${1 + rand(30)},"msg":"database connection error, retrying"`,
    ];
  },
  (rand) => [30, `"msg":"job queue depth ${rand(40)}","queue":"notifications"`],
  request,
  (rand) => [
    50,
    `"err":{"type":"ConnectionError","message":"connect ECONNREFUSED 127.0.3.21:9200","stack":"ConnectionError: connect ECONNREFUSED 127.0.3.21:9200${at(['ClientRequest.onError (/app/node_modules/@elastic/elasticsearch/lib/Connection.js:123:16)', 'ClientRequest.emit (node:events:517:28)'])}"},"index":"cases-${rand(12)}","msg":"Elasticsearch connection error"`,
  ],
  request,
  (rand) => [
    40,
    `"msg":"Deadlock found when trying to get lock; try restarting transaction (task ${2000 + rand(3000)})"`,
  ],
  request,
  (rand) => [
    50,
    `"err":{"type":"ArangoError","message":"connect ECONNREFUSED 127.0.3.30:8529","code":"ECONNREFUSED"},"collection":"relations","msg":"ArangoDB connection lost, reconnecting in ${100 + rand(900)}ms"`,
  ],
  request,
  (rand) => [
    50,
    `"err":{"type":"Error","message":"EACCES: permission denied, open '/srv/tas/storage/dms/2026/11/att-${4000 + rand(5000)}.pdf'","code":"EACCES"},"msg":"DMS handling error: could not store attachment"`,
  ],
  request,
  (rand) =>
    rand(2) === 0
      ? [30, `"msg":"cron: nightly cleanup finished in ${200 + rand(800)}ms"`]
      : [50, `"msg":"cron job reindex failed: no living connections","job":"reindex"`],
];
