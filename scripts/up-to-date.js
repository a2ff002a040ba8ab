#!/usr/bin/env node
// `up-to-date.js STAMP INPUT…`: exits 0 when STAMP exists and is newer than every file under
// the INPUTs (files or directories), 1 otherwise. Lets scripts/install.sh build once and skip
// the build when nothing it reads has changed since (a fresh clone has no stamp: it builds).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [stamp, ...inputs] = process.argv.slice(2);
let built;
try {
  built = fs.statSync(stamp).mtimeMs;
} catch {
  process.exit(1);
}
function newer(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return false; // an input that does not exist cannot be newer
  }
  if (!st.isDirectory()) return st.mtimeMs > built;
  return fs.readdirSync(p).some((n) => n !== 'node_modules' && newer(path.join(p, n)));
}
process.exit(inputs.some(newer) ? 1 : 0);
