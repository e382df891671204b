#!/usr/bin/env bash
# The TAS-like fixture stack on our swarm (start it with .ci/infra.sh up first).
#
#   .ci/fixture-stack.sh deploy [stack]   build the tas-fixture image if its inputs changed, deploy
#                                         test/fixtures/stack/tas-stack.yml, wait until settled
#   .ci/fixture-stack.sh remove [stack]   remove the stack and wait until its containers are gone
#   .ci/fixture-stack.sh reset [stack]    remove, then deploy: also clears the task history (after
#                                         a daemon restart every service has a failed task in it)
#   .ci/fixture-stack.sh image            only (re)build the image: tas-fixture:1 and tas-fixture:2
#
# Settled means: frontend, backend, tika, elasticsearch and arango run 1/1, redis is 0/0,
# backend-cron has at least 3 failed tasks (a restart loop), and the backend's status routes
# answer (liveness 200, readiness 503). Deploy doubles as a reset: it restores the spec of every
# service in the file, whatever a test left behind.
set -euo pipefail
CI_SCRIPT=fixture-stack
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE=tas-fixture:1
IMAGE_ALT=tas-fixture:2
STACK_FILE="$FIXTURE_DIR/tas-stack.yml"
SETTLE_TIMEOUT=${FIXTURE_SETTLE_TIMEOUT:-180}
RUNNING_SERVICES=(frontend backend tika elasticsearch arango)
MIN_CRON_FAILURES=3

require_docker() {
  dk version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
    die "no Docker engine answers at $DOCKER_HOST_URL; start it with: bash .ci/infra.sh up"
}

busybox_path() {
  local path
  path=$(dpkg -L busybox-static 2>/dev/null | grep -m1 '/bin/busybox$' || true)
  if [ -z "$path" ] || [ ! -x "$path" ]; then
    die "no static busybox found; install it: apt-get install -y busybox-static"
  fi
  printf '%s' "$path"
}

# Content hash of everything that goes into the image.
image_inputs_hash() {
  local busybox=$1
  {
    sha256sum "$busybox" | cut -d' ' -f1
    (cd "$FIXTURE_DIR" && find bin www -type f -print0 | sort -z | xargs -0 sha256sum)
    (cd "$FIXTURE_DIR" && find bin www -type f -perm -u+x | sort)
    echo layout-v1
  } | sha256sum | cut -c1-16
}

# Changes with the image and with the stack file; every task carries it as FIXTURE_REVISION.
stack_revision() {
  { echo "$1"; sha256sum "$STACK_FILE"; } | sha256sum | cut -c1-16
}

# A scratch image with a static busybox, its applet links and the fixture scripts under /fixture.
# No registry is reachable, so `docker import` of a rootfs tarball stands in for a pull.
build_image() {
  local busybox hash current rootfs applet
  busybox=$(busybox_path)
  hash=$(image_inputs_hash "$busybox")
  current=$(dk image inspect "$IMAGE" --format '{{index .Config.Labels "tas.fixture.hash"}}' 2>/dev/null || true)
  FIXTURE_REVISION=$(stack_revision "$hash")
  if [ "$current" = "$hash" ]; then
    dk tag "$IMAGE" "$IMAGE_ALT"
    FIXTURE_IMAGE_HASH=$hash
    return 0
  fi

  log "building $IMAGE from $busybox and test/fixtures/stack (inputs $hash)"
  mkdir -p "$INFRA"
  rootfs="$INFRA/image-rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,root,tmp,fixture}
  chmod 1777 "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  # Applet links where a Debian busybox would put them (bin/, sbin/, usr/bin/, usr/sbin/).
  while read -r applet; do
    case "$applet" in bin/busybox | linuxrc | '') continue ;; esac
    ln -sf /bin/busybox "$rootfs/$applet"
  done < <("$busybox" --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  cp -R "$FIXTURE_DIR/bin" "$FIXTURE_DIR/www" "$rootfs/fixture/"

  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf - . |
    dk import \
      --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "LABEL tas.fixture.hash=$hash" \
      --change 'WORKDIR /' \
      --change 'CMD ["/bin/sh"]' \
      --message "tas-chatops fixture image ($hash)" \
      - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
  dk tag "$IMAGE" "$IMAGE_ALT"
  FIXTURE_IMAGE_HASH=$hash
}

service_exists() {
  dk service inspect "$1" >/dev/null 2>&1
}

# Another process (say, a fixture stack on some other daemon) serving our ports would make the
# tasks fail to bind and the probes answer for the wrong thing.
check_ports_free() {
  local stack=$1 port
  service_exists "${stack}_frontend" && return 0
  for port in "$FRONTEND_PORT" "$BACKEND_PORT"; do
    if port_open "$port"; then
      die "127.0.0.1:$port is already in use, but stack $stack is not deployed on $DOCKER_HOST_URL.
  The fixture ports ($FRONTEND_PORT, $BACKEND_PORT) are fixed in tas-stack.yml, so only one fixture
  stack runs at a time: remove the other one (another stack name here, or another checkout's)"
    fi
  done
}

# Prints what is not settled yet, one item a line; prints nothing once settled.
unsettled() {
  local stack=$1 svc replicas state failures
  declare -A rep=()
  while read -r svc replicas; do
    rep[$svc]=$replicas
  done < <(dk service ls --filter "label=com.docker.stack.namespace=$stack" --format '{{.Name}} {{.Replicas}}')
  for svc in "${RUNNING_SERVICES[@]}"; do
    replicas=${rep[${stack}_$svc]:-missing}
    [ "$replicas" = 1/1 ] || echo "$svc replicas $replicas (want 1/1)"
  done
  replicas=${rep[${stack}_redis]:-missing}
  [ "$replicas" = 0/0 ] || echo "redis replicas $replicas (want 0/0)"

  while read -r svc state; do
    case "$state" in updating | rollback_started) echo "${svc#"${stack}"_} update $state" ;; esac
  done < <(dk service inspect "${!rep[@]}" \
    --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{else}}none{{end}}' 2>/dev/null || true)

  # Right after a deploy the old tasks still answer; only tasks of this revision count.
  local ids stale=0
  ids=$(dk service ps -q --filter desired-state=running "${!rep[@]}" 2>/dev/null || true)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086 # one task id per word
    stale=$(dk inspect --type task $ids --format '{{range .Spec.ContainerSpec.Env}}{{.}} {{end}}' 2>/dev/null |
      grep -vc "FIXTURE_REVISION=$FIXTURE_REVISION " || true)
  fi
  [ "$stale" -eq 0 ] || echo "$stale task(s) of an older revision still running"

  failures=$(dk service ps "${stack}_backend-cron" --format '{{.CurrentState}}' 2>/dev/null | grep -c '^Failed' || true)
  [ "$failures" -ge "$MIN_CRON_FAILURES" ] ||
    echo "backend-cron failed tasks $failures (want >= $MIN_CRON_FAILURES)"

  state=$(http_status "$FRONTEND_PORT" /)
  [ "$state" = 200 ] || echo "frontend GET 127.0.0.1:$FRONTEND_PORT/ answered $state (want 200)"
  state=$(http_status "$BACKEND_PORT" /cgi-bin/liveness)
  [ "$state" = 200 ] || echo "backend GET 127.0.0.1:$BACKEND_PORT/cgi-bin/liveness answered $state (want 200)"
  state=$(http_status "$BACKEND_PORT" /cgi-bin/readiness)
  [ "$state" = 503 ] || echo "backend GET 127.0.0.1:$BACKEND_PORT/cgi-bin/readiness answered $state (want 503)"
}

wait_settled() {
  local stack=$1 started=$SECONDS missing last_report=$SECONDS
  while :; do
    missing=$(unsettled "$stack")
    [ -z "$missing" ] && break
    if [ $((SECONDS - started)) -ge "$SETTLE_TIMEOUT" ]; then
      echo "--- docker stack ps $stack ---" >&2
      dk stack ps "$stack" --no-trunc --format '{{.Name}} {{.CurrentState}} {{.Error}}' 2>&1 | head -n 40 >&2 || true
      die "fixture stack '$stack' did not settle within ${SETTLE_TIMEOUT}s on $DOCKER_HOST_URL; still waiting for:
  - ${missing//$'\n'/$'\n'  - }
  daemon log: $DOCKER_LOG; service logs: $DOCKER_BIN -H $DOCKER_HOST_URL service logs ${stack}_<service>"
    fi
    if [ $((SECONDS - last_report)) -ge 10 ]; then
      log "waiting for: $(paste -sd ';' <<<"$missing")"
      last_report=$SECONDS
    fi
    sleep 1
  done
  log "stack $stack settled in $((SECONDS - started))s"
}

cmd_deploy() {
  local stack=$1 started=$SECONDS
  require_docker
  build_image
  check_ports_free "$stack"
  log "deploying $stack from ${STACK_FILE#"$ROOT"/}"
  FIXTURE_REVISION=$FIXTURE_REVISION \
    dk stack deploy --resolve-image never --prune -c "$STACK_FILE" "$stack" >/dev/null
  wait_settled "$stack"
  # Images replaced by a rebuild are dangling once no task uses them.
  dk image prune -f >/dev/null 2>&1 || true
  log "deploy done in $((SECONDS - started))s"
}

cmd_remove() {
  local stack=$1 started=$SECONDS
  require_docker
  dk stack rm "$stack" >/dev/null 2>&1 || true
  # Wait for the containers too: until they exit, they still hold the fixture ports.
  while [ -n "$(dk service ls -q --filter "label=com.docker.stack.namespace=$stack")" ] ||
    [ -n "$(dk ps -aq --filter "label=com.docker.stack.namespace=$stack")" ]; do
    [ $((SECONDS - started)) -lt 90 ] || die "stack $stack still has services or containers after 90s"
    sleep 1
  done
  log "stack $stack removed in $((SECONDS - started))s"
}

case "${1:-}" in
  deploy | remove | reset | image) take_lock ;;
esac
case "${1:-}" in
  deploy) cmd_deploy "${2:-$FIXTURE_STACK_DEFAULT}" ;;
  remove) cmd_remove "${2:-$FIXTURE_STACK_DEFAULT}" ;;
  reset)
    cmd_remove "${2:-$FIXTURE_STACK_DEFAULT}"
    cmd_deploy "${2:-$FIXTURE_STACK_DEFAULT}"
    ;;
  image)
    require_docker
    build_image
    log "$IMAGE and $IMAGE_ALT ready (inputs $FIXTURE_IMAGE_HASH)"
    ;;
  *)
    echo "usage: $0 deploy|remove|reset [stack] | image" >&2
    exit 2
    ;;
esac
