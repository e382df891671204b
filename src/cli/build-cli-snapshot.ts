// Run by `npm run bundle` after esbuild (node --import tsx src/cli/build-cli-snapshot.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';

const OUT = 'dist/snapshot';
const SCRIPT = `${OUT}/cli-snapshot.cjs`;
const BLOB = `${OUT}/cli.blob`;
const BIN = 'dist/src/cli/bin.js';
/** Optional transports and protocols the bot never uses, left out as in the ESM bundle. */
const UNUSED = ['thread-stream', 'ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'];

/**
 * Line 2 of dist/src/cli/bin.js: a string statement and a comment to Node, a command to sh
 * (line 1 is `#!/bin/sh`). For `check` it restores the snapshot when the Node on the PATH built
 * it; otherwise, and for every other command, it execs Node on this file, as `#!/usr/bin/env
 * node` did. `readlink` finds the snapshot beside the file a symlink on the PATH points to.
 */
const LAUNCHER =
  `':' //; case "$1" in check) p=$(readlink -f "$0" 2>/dev/null) && b="\${p%/*}/../../snapshot/cli.blob" && ` +
  `[ -f "$b" ] && read -r v <"$b.node-version" && [ "$v" = "$(node --version)" ] && ` +
  `exec node --snapshot-blob "$b" "$@";; esac; exec node "$0" "$@"`;

/**
 * `start`, `worker` and `run` never run from the snapshot, so their modules stay out of it: the
 * snapshot keeps its script's source, and every megabyte of it costs a restore about 8 ms here.
 */
const serveAndRunStayOut: Plugin = {
  name: 'serve-and-run-stay-out',
  setup(b) {
    b.onResolve({ filter: /\/(app\/serve|run-app-command)\.js$/ }, (args) => ({
      path: args.path,
      namespace: 'stays-out',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stays-out' }, () => ({
      contents: "throw new Error('only check runs from the startup snapshot');",
      loader: 'js',
    }));
  },
};

/**
 * The CLI's V8 startup snapshot: a cold `check` starts with its modules evaluated instead of
 * compiling and running ~1 MB of JS. Writes dist/snapshot/cli.blob, the `node --version` that
 * built it (a snapshot only loads in that Node) and the launcher into dist/src/cli/bin.js. When
 * Node cannot build the snapshot, the bundle works without it: the launcher falls back.
 */
export async function buildCliSnapshot(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: ['src/cli/snapshot-entry.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: SCRIPT,
    logLevel: 'warning',
    minifyWhitespace: true,
    alias: Object.fromEntries(
      UNUSED.map((name) => [name, 'data:text/javascript,module.exports={}']),
    ),
    plugins: [serveAndRunStayOut],
  });
  try {
    // --no-warnings: Node warns about every built-in module a snapshot loads.
    execFileSync(
      process.execPath,
      ['--no-warnings', '--snapshot-blob', BLOB, '--build-snapshot', SCRIPT],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    writeFileSync(`${BLOB}.node-version`, `${process.version}\n`);
  } catch (error) {
    rmSync(OUT, { recursive: true, force: true });
    process.stderr.write(
      `build-cli-snapshot: no startup snapshot, check runs from the bundle (${String(error)})\n`,
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
