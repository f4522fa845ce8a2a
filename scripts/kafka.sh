#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft, combined broker+controller)
# on 127.0.0.1 for tests and local development. The broker's jars are Kafka's
# official artifacts, fetched with Maven (scripts/kafka/pom.xml) and cached.
#
#   scripts/kafka.sh fetch        fetch the jars (instant once cached)
#   scripts/kafka.sh start        start the broker, wait until it is ready
#   scripts/kafka.sh stop         stop it (SIGTERM, SIGKILL after 30 s)
#   scripts/kafka.sh status       "running (pid N) on 127.0.0.1:PORT" (exit 0) or "stopped" (exit 3)
#   scripts/kafka.sh logs [-f]    tail the broker's log
#
# Environment:
#   KAFKA_PORT             client (PLAINTEXT) port, default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port, default KAFKA_PORT+1
#   KAFKA_ADVERTISED_PORT  port clients are told to use, default KAFKA_PORT (a proxy in front of the broker)
#   KAFKA_STATE_DIR        config, data, log, pid; default <repo>/.spanlens/kafka/broker-$KAFKA_PORT
#   KAFKA_LIB_DIR          fetched jars; default <repo>/.spanlens/kafka/lib-<kafka version>
#   KAFKA_HEAP_OPTS        default "-Xms256m -Xmx512m"
#   KAFKA_START_TIMEOUT    seconds to wait for readiness, default 90
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM, default 30
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)"
if [ -z "$KAFKA_VERSION" ]; then
  echo "kafka.sh: cannot read <kafka.version> from $POM" >&2
  exit 2
fi

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_ADVERTISED_PORT="${KAFKA_ADVERTISED_PORT:-$KAFKA_PORT}"
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-$REPO_ROOT/.spanlens/kafka/broker-$KAFKA_PORT}"
KAFKA_LIB_DIR="${KAFKA_LIB_DIR:-$REPO_ROOT/.spanlens/kafka/lib-$KAFKA_VERSION}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
# Absolute paths: the pid check matches the config path on the java command
# line, and `stop` may run from another directory than `start`.
case "$KAFKA_STATE_DIR" in /*) ;; *) KAFKA_STATE_DIR="$PWD/$KAFKA_STATE_DIR" ;; esac
case "$KAFKA_LIB_DIR" in /*) ;; *) KAFKA_LIB_DIR="$PWD/$KAFKA_LIB_DIR" ;; esac
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PID_FILE="$KAFKA_STATE_DIR/broker.pid"
LOG_FILE="$KAFKA_STATE_DIR/server.log"
CONFIG_FILE="$KAFKA_STATE_DIR/server.properties"
DATA_DIR="$KAFKA_STATE_DIR/data"
COMPLETE_MARKER="$KAFKA_LIB_DIR/.complete"

log() { echo "kafka.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- fetch

lib_complete() {
  [ -f "$COMPLETE_MARKER" ] &&
    [ -f "$KAFKA_LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" ] &&
    [ -f "$KAFKA_LIB_DIR/log4j.properties" ] &&
    [ -f "$KAFKA_LIB_DIR/tools-log4j.properties" ]
}

write_log4j_configs() {
  local dir="$1"
  # The broker logs to stdout; `start` sends stdout to $KAFKA_STATE_DIR/server.log.
  cat >"$dir/log4j.properties" <<'EOF'
# Written by scripts/kafka.sh: the test broker logs INFO to stdout.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
# Chatty loggers.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.zookeeper=WARN
EOF
  # StorageTool and friends: only warnings, to stderr.
  cat >"$dir/tools-log4j.properties" <<'EOF'
# Written by scripts/kafka.sh: Kafka's command-line tools log warnings only.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

cmd_fetch() {
  if lib_complete; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch Kafka $KAFKA_VERSION"
  log "fetching Kafka $KAFKA_VERSION into $KAFKA_LIB_DIR"
  mkdir -p "$(dirname "$KAFKA_LIB_DIR")"
  # Fetch into a scratch dir and move it into place, so that an interrupted or
  # concurrent fetch never leaves a half-filled lib dir that looks complete.
  local tmp
  tmp="$(mktemp -d "$KAFKA_LIB_DIR.tmp.XXXXXX")"
  chmod 755 "$tmp"
  # (Maven 3.8 prints bare colour resets even in batch mode; drop them.)
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1 |
    sed -e 's/\x1b\[0m//g' -e '/^[[:space:]]*$/d' >&2; then
    rm -rf "$tmp"
    die "mvn could not fetch Kafka $KAFKA_VERSION"
  fi
  write_log4j_configs "$tmp"
  touch "$tmp/.complete"
  rm -rf "$KAFKA_LIB_DIR"
  if ! mv -T "$tmp" "$KAFKA_LIB_DIR" 2>/dev/null; then
    # Another fetch won the race; use its copy if it is good.
    rm -rf "$tmp"
  fi
  lib_complete || die "fetch finished but $KAFKA_LIB_DIR is incomplete"
}

# ---------------------------------------------------------------- helpers

# Prints the broker's pid if the pid file names a live broker of this state dir.
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must be our kafka.Kafka with our config.
  if [ -r "/proc/$pid/cmdline" ]; then
    local cmdline
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    case "$cmdline" in
      *kafka.Kafka*"$CONFIG_FILE"*) ;;
      *) return 1 ;;
    esac
  fi
  echo "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

write_server_properties() {
  mkdir -p "$KAFKA_STATE_DIR" "$DATA_DIR"
  cat >"$CONFIG_FILE" <<EOF
# Written by scripts/kafka.sh on every start: a single-node KRaft broker+controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_ADVERTISED_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
num.partitions=2
EOF
}

format_storage() {
  if [ -f "$DATA_DIR/meta.properties" ]; then
    return 0
  fi
  local cluster_id
  cluster_id="$("$JAVA" -Dlog4j.configuration="file:$KAFKA_LIB_DIR/tools-log4j.properties" \
    -cp "$KAFKA_LIB_DIR/*" kafka.tools.StorageTool random-uuid | tail -n 1)"
  [ -n "$cluster_id" ] || die "StorageTool random-uuid printed nothing"
  "$JAVA" -Dlog4j.configuration="file:$KAFKA_LIB_DIR/tools-log4j.properties" \
    -cp "$KAFKA_LIB_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$CONFIG_FILE" >/dev/null ||
    die "formatting $DATA_DIR failed"
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    echo "kafka already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  rm -f "$PID_FILE"
  cmd_fetch
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or put java on PATH)"

  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "port 127.0.0.1:$port is already in use by another process"
    fi
  done

  write_server_properties
  format_storage

  # Keep the previous run's log next to the new one.
  if [ -f "$LOG_FILE" ]; then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi

  local started_at=$SECONDS
  # setsid: its own session, so the broker outlives this shell and a Ctrl-C
  # in the terminal that ran `start`. All three std streams are redirected, so
  # a caller reading this script's output is not kept waiting by the broker.
  # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS is a list of options.
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_LIB_DIR/log4j.properties" \
    -cp "$KAFKA_LIB_DIR/*" kafka.Kafka "$CONFIG_FILE" \
    </dev/null >>"$LOG_FILE" 2>&1 &

  # Wait for the pid file written by the wrapper just before it execs java.
  local i
  for i in $(seq 1 50); do
    [ -s "$PID_FILE" ] && break
    sleep 0.1
  done
  pid="$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] || die "the broker did not start (no pid file)"

  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the broker (pid $pid) exited during start-up; last lines of $LOG_FILE:"
      tail -n 60 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    if grep -q "Kafka Server started" "$LOG_FILE" 2>/dev/null && port_open "$KAFKA_PORT"; then
      break
    fi
    if [ $((SECONDS - started_at)) -ge "$KAFKA_START_TIMEOUT" ]; then
      log "the broker was not ready after ${KAFKA_START_TIMEOUT}s; last lines of $LOG_FILE:"
      tail -n 60 "$LOG_FILE" >&2 || true
      stop_pid "$pid"
      exit 1
    fi
    sleep 0.2
  done
  echo "kafka ready on 127.0.0.1:$KAFKA_PORT (pid $pid, ${KAFKA_VERSION}, $((SECONDS - started_at))s)"
}

stop_pid() {
  local pid="$1" waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((KAFKA_STOP_TIMEOUT * 10)) ]; then
      log "the broker (pid $pid) did not exit ${KAFKA_STOP_TIMEOUT}s after SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "kafka not running on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  stop_pid "$pid"
  echo "kafka stopped (was pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_logs() {
  [ -f "$LOG_FILE" ] || die "no log at $LOG_FILE"
  if [ "${1:-}" = "-f" ]; then
    exec tail -n 100 -F "$LOG_FILE"
  fi
  tail -n "${KAFKA_LOG_LINES:-100}" "$LOG_FILE"
}

usage() {
  echo "usage: $0 fetch|start|stop|status|logs [-f]" >&2
  exit 2
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) usage ;;
esac
