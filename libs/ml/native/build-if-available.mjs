// Run by `npm install` (root postinstall): builds the optional oneDNN addon when oneDNN's headers
// are present, and otherwise prints one line and succeeds, so an install never fails because of it.
// Set CONVSCOPE_SKIP_NATIVE=1 to skip the build.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const say = (msg) => console.log(`convscope: ${msg}`);

if (process.env.CONVSCOPE_SKIP_NATIVE === '1') {
  say('native oneDNN addon skipped (CONVSCOPE_SKIP_NATIVE=1); training uses the WASM backend');
  process.exit(0);
}
const headers = [
  '/usr/include/dnnl.hpp',
  '/usr/local/include/dnnl.hpp',
  '/opt/homebrew/include/dnnl.hpp',
];
if (!headers.some((h) => existsSync(h))) {
  say(
    'oneDNN not found (Debian/Ubuntu: apt-get install libdnnl-dev); native addon skipped, training uses the WASM backend',
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
    `built the native oneDNN addon in ${Math.round((Date.now() - started) / 1000)} s (backend "onednn")`,
  );
} else {
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? String(r.error ?? ''));
  say('building the native oneDNN addon failed (output above); training uses the WASM backend');
}
