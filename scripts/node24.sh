# Sourced by scripts/start, scripts/test and .ci/run: puts Node.js 24 first on PATH.
# Uses the node on PATH when it is already 24; otherwise installs the npm package node@24 into a
# cache folder outside the repository (never replacing the system's Node).
cpcr_node24() {
  if command -v node >/dev/null 2>&1 && node --version | grep -q '^v24\.'; then return 0; fi
  local home="${CPCR_NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/cpcr-node24}"
  if ! "$home/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
    echo "Installing Node.js 24 into $home (one time)..." >&2
    mkdir -p "$home/pkg" "$home/bin"
    npm install --silent --no-save --no-audit --no-fund --prefix "$home/pkg" node@24 >&2
    local bin
    bin=$(find "$home/pkg/node_modules" -path '*node-linux-*/bin/node' -type f | head -n 1)
    [ -n "$bin" ] || bin="$home/pkg/node_modules/node/bin/node"
    ln -sf "$bin" "$home/bin/node"
  fi
  export PATH="$home/bin:$PATH"
  node --version | grep -q '^v24\.' || { echo "Could not get Node.js 24" >&2; return 1; }
}
