# Sourced by the scripts: puts the pinned build tools first on PATH (see scripts/setup).
export KURIR_TOOLS_DIR="${KURIR_TOOLS_DIR:-$HOME/.cache/kurir-tools}"
export PATH="$KURIR_TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
