#!/usr/bin/env bash
# The default lab, on a fresh clone: installs what it needs, then opens the desktop app on
# the default tutorial where a display and the Electron binary are available, and otherwise
# walks the same tutorial in this terminal. Needs root (namespaces and TUN devices).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "vpclab needs root to create network namespaces and TUN devices: sudo bash scripts/lab.sh" >&2
  exit 1
fi
bash scripts/install.sh
scenario="${1:-lab-scenarios/vpc-basics.yaml}"
electron=node_modules/electron/dist/electron
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$electron" ]; then
  VPCLAB_SCENARIO="$scenario" exec "$electron" --no-sandbox .
fi
exec node bin/vpclab tutorial "$scenario"
