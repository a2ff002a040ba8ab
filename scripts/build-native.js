#!/usr/bin/env node
// Builds native/ (the TUN addon) with node-gyp against the headers of the Node that runs
// this script. Headers are looked up locally because nothing may be downloaded at install
// time: npm's nodedir setting first, then the prefix of this Node binary.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const candidates = [process.env.npm_config_nodedir, path.resolve(process.execPath, '../..')].filter(Boolean);
const nodedir = candidates.find((d) => fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')));
if (!nodedir) {
  console.error('build-native: no Node headers found (looked in ' + candidates.join(', ') + ').');
  console.error('Install the headers for this Node (Debian: nodejs-dev / libnode-dev) and retry.');
  process.exit(1);
}
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
execFileSync(process.execPath, [gyp, 'rebuild', '--directory', path.join(__dirname, '..', 'native'), '--nodedir', nodedir], {
  stdio: 'inherit',
});
