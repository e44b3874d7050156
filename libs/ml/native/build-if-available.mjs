// Run by `npm install` (root postinstall): builds the optional oneDNN addon when oneDNN's headers
// are present, and otherwise prints one line and succeeds, so an install never fails because of it.
// Set CONVSCOPE_SKIP_NATIVE=1 to skip the build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findDnnl } from './dnnl-location.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const say = (msg) => console.log(`convscope: ${msg}`);

if (process.env.CONVSCOPE_SKIP_NATIVE === '1') {
  say('native oneDNN addon skipped (CONVSCOPE_SKIP_NATIVE=1); training uses the WASM backend');
  process.exit(0);
}
// oneDNN's prefix: $CONVSCOPE_DNNL_PREFIX, $DNNLROOT, /usr (Debian/Ubuntu, Fedora), /usr/local (a
// source build, Homebrew on Intel Macs), /opt/homebrew (Homebrew on Apple silicon); binding.gyp
// asks the same module, so what is found here is what gets compiled against.
const found = findDnnl();
for (const name of ['CONVSCOPE_DNNL_PREFIX', 'DNNLROOT']) {
  const named = process.env[name];
  if (named && found?.from !== name && !(name === 'DNNLROOT' && found?.from)) {
    say(
      `$${name}=${named} has no include/dnnl.hpp nor include/oneapi/dnnl/dnnl.hpp; looking elsewhere`,
    );
  }
}
const INSTALL =
  'Debian/Ubuntu: sudo apt-get install libdnnl-dev; Fedora: sudo dnf install onednn-devel; macOS: brew install onednn libomp; elsewhere: CONVSCOPE_DNNL_PREFIX=<prefix>';
if (!found) {
  say(`oneDNN not found (${INSTALL}); native addon skipped, training uses the WASM backend`);
  process.exit(0);
}
// src/dnnl-compat.h covers oneDNN 2.x (operation descriptors) and 3.x (primitive descriptors
// built directly); another major version would fail with pages of errors, so say it in one line.
const { version } = found;
const where = `${found.prefix}${found.from ? ` ($${found.from})` : ''}`;
if (version && version.major !== 2 && version.major !== 3) {
  say(
    `oneDNN ${version.major}.${version.minor} found in ${where}, but the addon supports oneDNN 2.x and 3.x; native addon skipped, training uses the WASM backend`,
  );
  process.exit(0);
}
// npm exposes its bundled node-gyp to lifecycle scripts; fall back to one on the PATH.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp
  ? [process.execPath, [gyp, 'rebuild', '--directory', dir]]
  : ['node-gyp', ['rebuild', '--directory', dir]];
const started = Date.now();
const r = spawnSync(cmd, args, { encoding: 'utf8' });
if (r.status === 0) {
  say(
    `built the native oneDNN addon against oneDNN ${version ? `${version.major}.${version.minor}` : '(version unknown)'} in ${where} in ${Math.round((Date.now() - started) / 1000)} s (backend "onednn")`,
  );
} else {
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? String(r.error ?? ''));
  say('building the native oneDNN addon failed (output above); training uses the WASM backend');
}
