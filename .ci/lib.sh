# shellcheck shell=bash
# Shared by the .ci scripts (sourced). Paths, the docker wrapper and small helpers.
#
# Everything we start lives under $ROOT/.infra (git-ignored) and is stopped only by the pid we
# recorded, so a Docker daemon or Redis that someone else runs on this machine is never touched.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
INFRA="$ROOT/.infra"
INFRA_ENV="$INFRA/env"

# Short, per-checkout id: two checkouts on one machine get separate exec roots.
ROOT_ID=$(printf '%s' "$ROOT" | sha256sum | cut -c1-10)

DOCKERD_BIN=/usr/sbin/dockerd
# /usr/local/bin/docker on the dev image is a newer CLI; the daemon is Debian's 20.10, so always
# use the matching client from docker.io.
DOCKER_BIN=/usr/bin/docker
DOCKER_DIR="$INFRA/docker"
DOCKER_DATA="$DOCKER_DIR/data"
DOCKER_PIDFILE="$DOCKER_DIR/dockerd.pid"
DOCKER_LOG="$DOCKER_DIR/dockerd.log"
DOCKER_CONFIG_FILE="$DOCKER_DIR/daemon.json"
# containerd and the network namespaces live under the exec root; unix socket paths max out at
# ~108 bytes, so it stays short and outside the checkout.
DOCKER_EXEC_ROOT="/tmp/tas-chatops-exec-$ROOT_ID"
DOCKER_SOCK="$DOCKER_DIR/docker.sock"
if [ "${#DOCKER_SOCK}" -gt 100 ]; then
  DOCKER_SOCK="/tmp/tas-chatops-run-$ROOT_ID/docker.sock"
fi
DOCKER_HOST_URL="unix://$DOCKER_SOCK"
SWARM_LISTEN="127.0.0.1:4377"

REDIS_PORT=6391
REDIS_DIR="$INFRA/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_URL_VALUE="redis://127.0.0.1:$REDIS_PORT"

FIXTURE_STACK_DEFAULT=tasfix
FIXTURE_DIR="$ROOT/test/fixtures/stack"
FRONTEND_PORT=18080
BACKEND_PORT=18081

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${CI_SCRIPT:-ci}" "$*" >&2; }
die() {
  printf '\n[%s] ERROR: %s\n\n' "${CI_SCRIPT:-ci}" "$*" >&2
  exit 1
}

# Our docker CLI, pinned to our daemon whatever DOCKER_HOST or a context says.
dk() {
  env -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH -u DOCKER_HOST \
    "$DOCKER_BIN" -H "$DOCKER_HOST_URL" "$@"
}

# Serialises infra and stack changes: several `npm test` runs in one checkout may start at once.
take_lock() {
  mkdir -p "$INFRA"
  exec 9>"$INFRA/.lock"
  if ! flock -n 9; then
    log "waiting for another .ci script in this checkout (lock $INFRA/.lock)"
    flock -w 600 9 || die "still locked after 600s: $INFRA/.lock"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$1"
  )
}

# http_status PORT PATH: prints the HTTP status code of GET http://127.0.0.1:PORT/PATH, or 000.
# Plain bash, so nothing beyond bash is needed to check a route (no curl on a fresh machine).
http_status() {
  local port=$1 path=$2 status_line=''
  status_line=$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
    timeout 5 head -n 1 <&3
  ) || true
  # shellcheck disable=SC2086 # split "HTTP/1.1 200 OK" into words
  set -- $status_line
  printf '%s' "${2:-000}"
}

# Pid from a pidfile, if that process is alive and its command line mentions $2.
live_pid() {
  local pidfile=$1 marker=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  printf '%s' "$pid"
}

# stop_pid PID NAME GRACE_SECONDS: TERM, wait, then KILL; only ever the pid we were given.
stop_pid() {
  local pid=$1 name=$2 grace=$3 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((grace * 10)) ]; then
      log "$name (pid $pid) still running after ${grace}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}
