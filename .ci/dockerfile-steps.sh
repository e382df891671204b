#!/usr/bin/env bash
# What deploy/Dockerfile does, without a registry or an image build (none is reachable here),
# and the deploy files validated with Debian's Compose tool:
#
#   .ci/dockerfile-steps.sh validate   docker-compose config on deploy/compose.yaml and
#                                      deploy/stack.yaml (installs docker-compose if missing)
#   .ci/dockerfile-steps.sh build      a fresh copy of the committed tree (git archive), then the
#                                      Dockerfile's steps: npm ci, build, npm prune --omit=dev
#                                      --omit=optional,
#                                      a runtime tree without dev dependencies, `tas-chatops
#                                      check` and `tas-chatops start` as an unprivileged user
#                                      with no Redis on the PATH (as in the image), GET /health
#                                      and /health/ready 200, SIGTERM exits 0
#   .ci/dockerfile-steps.sh            both
#
# Exits non-zero, saying which step failed, on any failure. Called by
# test/integration/production/deploy-files.test.ts; DOCKERFILE_STEPS_REV picks another commit.
set -euo pipefail
CI_SCRIPT=dockerfile-steps
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMPOSE_BIN=/usr/bin/docker-compose

ensure_compose() {
  [ -x "$COMPOSE_BIN" ] && return 0
  [ "$(id -u)" -eq 0 ] || die "$COMPOSE_BIN is missing; install it as root: apt-get install -y --no-install-recommends docker-compose"
  log "installing docker-compose (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends docker-compose >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends docker-compose >/dev/null; } ||
    die "could not install docker-compose"
}

validate() {
  ensure_compose
  local file out
  for file in compose.yaml stack.yaml; do
    # A clean env: no .env, no variables from the caller, so every ${...} needs its default.
    if ! out=$(cd "$ROOT/deploy" && env -i PATH=/usr/bin:/bin "$COMPOSE_BIN" -f "$file" config -q 2>&1); then
      die "deploy/$file does not validate:
$out"
    fi
    if grep -qi 'warn' <<<"$out"; then die "deploy/$file validates with warnings:
$out"; fi
    log "deploy/$file validates"
  done
}

build() {
  [ "$(id -u)" -eq 0 ] || die "build needs root to start the bot as the unprivileged user nobody (runuser)"
  local rev=${DOCKERFILE_STEPS_REV:-HEAD} work
  work=$(mktemp -d /tmp/tas-dockerfile.XXXXXX)
  chmod 0755 "$work"
  BOT_PID=''
  # shellcheck disable=SC2064 # expand $work now
  trap "[ -n \"\${BOT_PID:-}\" ] && kill -KILL \"\$BOT_PID\" 2>/dev/null; rm -rf '$work'" EXIT

  log "fresh copy of $rev into $work"
  mkdir "$work/src-tree" "$work/build" "$work/app" "$work/bin"
  git -C "$ROOT" archive --format=tar "$rev" | tar -x -C "$work/src-tree"

  # FROM node AS build: COPY package.json package-lock.json; RUN npm ci
  cp "$work/src-tree/package.json" "$work/src-tree/package-lock.json" "$work/build/"
  log "npm ci"
  (cd "$work/build" && npm ci --no-audit --no-fund --prefer-offline >"$work/npm-ci.log" 2>&1) ||
    die "npm ci failed: $(tail -20 "$work/npm-ci.log")"
  # COPY tsconfig.json src adapters; RUN npm run build && npm prune --omit=dev --omit=optional
  cp -r "$work/src-tree/tsconfig.json" "$work/src-tree/src" "$work/src-tree/adapters" "$work/build/"
  log "npm run build && npm prune --omit=dev --omit=optional"
  (cd "$work/build" && npm run build >"$work/build.log" 2>&1) || die "npm run build failed: $(tail -20 "$work/build.log")"
  (cd "$work/build" && npm prune --omit=dev --omit=optional --no-audit --no-fund >"$work/prune.log" 2>&1) ||
    die "npm prune failed: $(tail -20 "$work/prune.log")"

  # FROM node: COPY --from=build package.json node_modules dist; the bin link
  cp -r "$work/build/package.json" "$work/build/node_modules" "$work/build/dist" "$work/app/"
  chmod 0755 "$work/app/dist/src/cli/bin.js"
  local dev
  for dev in typescript vitest eslint tsx prettier; do
    [ ! -e "$work/app/node_modules/$dev" ] || die "dev dependency $dev is still in the runtime tree after npm prune"
  done
  [ -e "$work/app/node_modules/prom-client" ] || die "prom-client is missing from the runtime tree"
  # PATH with node and tas-chatops only: the image has no redis-server.
  ln -s "$(command -v node)" "$work/bin/node"
  ln -s "$work/app/dist/src/cli/bin.js" "$work/bin/tas-chatops"
  cp "$work/src-tree/deploy/config.example.yml" "$work/config.yml"
  chmod 0644 "$work/config.yml"

  local port
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  local -a as_user=(runuser -u nobody -- env -i "PATH=$work/bin" NODE_ENV=production "TAS_CHATOPS_CONFIG=$work/config.yml"
    DOCKER_HOST=tcp://127.0.0.1:9 "PORT=$port" HTTP_HOST=127.0.0.1 "TAS_CHATOPS_DATA_DIR=$work/data")

  log "tas-chatops check, as nobody"
  (cd "$work/app" && "${as_user[@]}" tas-chatops check) || die "tas-chatops check failed on deploy/config.example.yml"

  log "tas-chatops start, as nobody, on 127.0.0.1:$port"
  (cd "$work/app" && exec "${as_user[@]}" tas-chatops start </dev/null >"$work/bot.log" 2>&1) &
  BOT_PID=$!
  local status='' i
  for i in $(seq 1 300); do
    status=$(http_status "$port" /health)
    [ "$status" = 200 ] && break
    kill -0 "$BOT_PID" 2>/dev/null || die "tas-chatops start exited before /health answered: $(tail -20 "$work/bot.log")"
    sleep 0.2
  done
  [ "$status" = 200 ] || die "GET /health answered $status, not 200: $(tail -20 "$work/bot.log")"
  log "GET /health → 200 after ~$((i / 5))s"
  for i in $(seq 1 100); do
    status=$(http_status "$port" /health/ready)
    [ "$status" = 200 ] && break
    sleep 0.2
  done
  [ "$status" = 200 ] || die "GET /health/ready answered $status, not 200: $(tail -20 "$work/bot.log")"
  log "GET /health/ready → 200"

  # runuser forks the bot (env execs node): its one child.
  local node_pid uid
  node_pid=$(pgrep -P "$BOT_PID" | head -n 1)
  if [ -z "$node_pid" ] || ! tr '\0' ' ' <"/proc/$node_pid/cmdline" | grep -q 'tas-chatops start'; then
    die "cannot find the tas-chatops process under runuser (pid $BOT_PID)"
  fi
  uid=$(awk '/^Uid:/ { print $2 }' "/proc/$node_pid/status")
  [ "$uid" = "$(id -u nobody)" ] || die "tas-chatops runs as uid $uid, not as nobody"
  log "runs as nobody (uid $uid)"

  kill -TERM "$node_pid"
  local rc=0
  wait "$BOT_PID" || rc=$?
  BOT_PID=''
  [ "$rc" -eq 0 ] || die "tas-chatops start exited $rc after SIGTERM: $(tail -20 "$work/bot.log")"
  grep -q '"msg":"stopped"' "$work/bot.log" || die "no clean stop in the log: $(tail -20 "$work/bot.log")"
  log "SIGTERM → exit 0"
}

case "${1:-all}" in
  validate) validate ;;
  build) build ;;
  all)
    validate
    build
    ;;
  *) die "usage: .ci/dockerfile-steps.sh [validate|build]" ;;
esac
log "ok"
