#!/usr/bin/env bash
# Installs what vpclab needs on a fresh clone, and nothing twice: the Debian tools the lab
# hosts run and the Chromium the UI tests drive (as root, with apt-get), the npm packages
# (npm ci, which also builds the TUN addon and node-pty), and the compiled sources and the
# renderer. Used by scripts/lab.sh, scripts/test.sh and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# command → Debian package
declare -A TOOLS=(
  [ip]=iproute2 [ping]=iputils-ping [tcpdump]=tcpdump [curl]=curl [iptables]=iptables
  [iperf3]=iperf3 [traceroute]=traceroute [dig]=dnsutils [ps]=procps [make]=make [g++]=g++
  [python3]=python3 [chromium]=chromium [tshark]=tshark [jq]=jq [nc]=netcat-openbsd
)
# file → Debian package: strongSwan, the IPsec peer of the VPN labs. charon is the IKE
# daemon (not on PATH), swanctl its control tool; kernel-libipsec (userspace ESP, for kernels
# without XFRM) is in the extra plugins, the ciphers in the standard ones.
declare -A FILES=(
  [/usr/lib/ipsec/charon]=strongswan-charon [/usr/sbin/swanctl]=strongswan-swanctl
  [/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so]=libcharon-extra-plugins
  [/usr/lib/ipsec/plugins/libstrongswan-openssl.so]=libstrongswan-standard-plugins
)
missing=()
for cmd in "${!TOOLS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${TOOLS[$cmd]}")
done
for f in "${!FILES[@]}"; do
  [ -e "$f" ] || missing+=("${FILES[$f]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "install: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install: missing tools (${missing[*]}); install them with your package manager (needs root)" >&2
  fi
fi

# node-pty builds with node-gyp during npm ci; nothing may be downloaded, so point node-gyp
# at this Node's own headers (as scripts/build-native.js does for our addon).
if [ -z "${npm_config_nodedir:-}" ]; then
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  for d in "$prefix" /usr /usr/local; do
    if [ -f "$d/include/node/node_api.h" ]; then export npm_config_nodedir="$d"; break; fi
  done
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install: npm ci"
  npm ci --no-audit --no-fund
fi
# The TUN addon: built by npm ci, and again whenever its source changed (after a pull, an
# old addon would read packets where the new code no longer puts them).
ADDON=native/build/Release/vpclab_tun.node
if [ ! -f "$ADDON" ] || [ native/tun.cc -nt "$ADDON" ] || [ native/binding.gyp -nt "$ADDON" ]; then
  echo "install: build the TUN addon"
  node scripts/build-native.js
fi

# Everything the lab and the tests use: dist/ (CLI, runtime, services, bench) and out/ (the
# renderer that `vpclab serve` and the browser tests load, and the Electron bundle). Built
# once, and again only when a source or a build setting changed since the last build.
STAMP=out/.build-stamp
if node scripts/up-to-date.js "$STAMP" src bench electron.vite.config.ts tsconfig.json tsconfig.node.json tsconfig.electron.json tsconfig.web.json package-lock.json; then
  echo "install: build is up to date"
else
  echo "install: build"
  npm run -s build
  mkdir -p out && touch "$STAMP"
fi
