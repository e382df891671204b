// Run by `npm run bundle` after esbuild (node --import tsx src/cli/build-cli-snapshot.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';

const OUT = 'dist/snapshot';
const BIN = 'dist/src/cli/bin.js';
/** Optional transports and protocols the bot never uses, left out as in the ESM bundle. */
const UNUSED = ['thread-stream', 'ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'];

/**
 * Line 2 of dist/src/cli/bin.js: a string statement and a comment to Node, a command to sh
 * (line 1 is `#!/bin/sh`). For `check` and `run` it restores their snapshot when the Node on the
 * PATH built it; otherwise, and for every other command, it execs Node on this file, as
 * `#!/usr/bin/env node` did. `readlink` finds the snapshots beside the file a symlink points to.
 */
const LAUNCHER =
  `':' //; case "$1" in check|run) p=$(readlink -f "$0" 2>/dev/null) && s="\${p%/*}/../../snapshot" && ` +
  `[ -f "$s/$1.blob" ] && read -r v <"$s/node-version" && [ "$v" = "$(node --version)" ] && ` +
  `exec node --snapshot-blob "$s/$1.blob" "$@";; esac; exec node "$0" "$@"`;

/**
 * What a snapshot's command never reaches stays out of it: the snapshot keeps its script's
 * source, and every megabyte of it costs a restore about 8 ms here. `start` and `worker` (the
 * server, the chat SDKs) never run from a snapshot; `check` does not build the app.
 */
function staysOut(modules: RegExp): Plugin {
  return {
    name: 'stays-out',
    setup(b) {
      b.onResolve({ filter: modules }, (args) => ({ path: args.path, namespace: 'stays-out' }));
      b.onLoad({ filter: /.*/, namespace: 'stays-out' }, () => ({
        contents: "throw new Error('not in this startup snapshot');",
        loader: 'js',
      }));
    },
  };
}

/**
 * dockerode and docker-modem are evaluated when the first Docker client is built, not when the
 * module that imports dockerode is: `run "/tas status"` and `check` list a Swarm stack through the
 * plain-HTTP reader and never build one (logs and operations do, and load it then). A snapshot
 * cannot hold dockerode evaluated: it needs `node:http`, which Node 20 keeps out of snapshots.
 */
const lazyDockerode: Plugin = {
  name: 'lazy-dockerode',
  setup(b) {
    b.onResolve({ filter: /^dockerode$/ }, (args) =>
      args.namespace === 'lazy-dockerode'
        ? undefined
        : { path: 'dockerode', namespace: 'lazy-dockerode' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-dockerode' }, () => ({
      contents:
        "module.exports = function Docker(options) { const Real = require('dockerode'); return new Real(options); };",
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

/**
 * `node:http`, `node:https` and `node:tls` as objects whose properties load the module on first
 * read: Node 20 cannot build a snapshot that holds them, and the modules that import them only
 * call them later (a request, an agent), so those modules can be evaluated into the snapshot.
 */
const LAZY_BUILTINS = ['http', 'https', 'tls'];
const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const keys = Object.keys((await import(`node:${args.path}`)) as object);
      // A write to the module goes to the real one; a write to an object built on it (docker-modem
      // wraps `http` in an object whose prototype it is) becomes that object's own property, as
      // it would with the real module's writable properties.
      const accessors = keys
        .filter((key) => key !== 'default')
        .map((name) => JSON.stringify(name))
        .map(
          (key) =>
            `get ${key}() { return load()[${key}]; }, set ${key}(value) { set(this, ${key}, value); }`,
        );
      return {
        contents: [
          `let real; const load = () => (real ??= require('node:${args.path}'));`,
          'const set = (target, key, value) => { if (target === module.exports) load()[key] = value;',
          '  else Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true }); };',
          `module.exports = { ${accessors.join(',\n')} };`,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * What each snapshot leaves out. `check` builds no app, no logger (so no pino-pretty) and never
 * asks an ECS environment (so no AWS SDK, about 1 MB of source): its snapshot is half the size.
 */
const SNAPSHOTS = {
  check: {
    entry: 'src/cli/snapshot-entry.ts',
    out: /(\/(app\/serve|run-app-command|create-logger|ecs\/create-ecs-clients)\.js|^@aws-sdk\/.*|^pino-pretty)$/,
  },
  run: { entry: 'src/cli/snapshot-entry-run.ts', out: /\/app\/serve\.js$/ },
};

/** One snapshot: its script (the entry bundled as CommonJS, builtins only), then its blob. */
async function buildSnapshot(command: keyof typeof SNAPSHOTS): Promise<void> {
  const script = `${OUT}/${command}.cjs`;
  await build({
    entryPoints: [SNAPSHOTS[command].entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: script,
    logLevel: 'warning',
    // The modules that stay out have no exports; their importers are never reached.
    logOverride: { 'import-is-undefined': 'silent' },
    // Every byte of source stays in the snapshot and is read back on each start; names are kept
    // (error types in logs, `instanceof`-free checks on `constructor.name`).
    minify: true,
    keepNames: true,
    alias: Object.fromEntries(
      UNUSED.map((name) => [name, 'data:text/javascript,module.exports={}']),
    ),
    plugins: [staysOut(SNAPSHOTS[command].out), lazyDockerode, lazyBuiltins],
  });
  // --no-warnings: Node warns about every built-in module a snapshot loads.
  execFileSync(
    process.execPath,
    ['--no-warnings', '--snapshot-blob', `${OUT}/${command}.blob`, '--build-snapshot', script],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * The CLI's V8 startup snapshots: a cold `check` or `run` starts with its modules evaluated
 * instead of compiling and running ~1 MB of JS. Writes dist/snapshot/{check,run}.blob, the
 * `node --version` that built them (a snapshot only loads in that Node) and the launcher into
 * dist/src/cli/bin.js. When Node cannot build them, the launcher falls back to the bundle.
 */
export async function buildCliSnapshot(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  try {
    await buildSnapshot('check');
    await buildSnapshot('run');
    writeFileSync(`${OUT}/node-version`, `${process.version}\n`);
  } catch (error) {
    rmSync(OUT, { recursive: true, force: true });
    process.stderr.write(
      `build-cli-snapshot: no startup snapshots, every command runs from the bundle (${String(error)})\n`,
    );
  }
  const code = readFileSync(BIN, 'utf8');
  if (code.startsWith('#!/bin/sh\n')) return; // the launcher is there already
  writeFileSync(BIN, `#!/bin/sh\n${LAUNCHER}\n${code.replace(/^#!.*\n/, '')}`, { mode: 0o755 });
  // One line more above the code: its source map starts with one empty line more.
  const map = JSON.parse(readFileSync(`${BIN}.map`, 'utf8')) as { mappings: string };
  writeFileSync(`${BIN}.map`, JSON.stringify({ ...map, mappings: `;${map.mappings}` }));
}

await buildCliSnapshot();
