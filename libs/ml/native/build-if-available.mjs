// Run by `npm install` (root postinstall): builds the optional oneDNN addon when oneDNN's headers
// are present, and otherwise prints one line and succeeds, so an install never fails because of it.
// Set CONVSCOPE_SKIP_NATIVE=1 to skip the build.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const say = (msg) => console.log(`convscope: ${msg}`);

if (process.env.CONVSCOPE_SKIP_NATIVE === '1') {
  say('native oneDNN addon skipped (CONVSCOPE_SKIP_NATIVE=1); training uses the WASM backend');
  process.exit(0);
}
// Include folders of Debian/Ubuntu and Fedora (/usr/include), a source build (/usr/local) and
// Homebrew on Apple silicon (/opt/homebrew). oneDNN 3.x installs only oneapi/dnnl/*.
const includeDirs = ['/usr/include', '/usr/local/include', '/opt/homebrew/include'];
const found = includeDirs.find(
  (d) => existsSync(`${d}/dnnl.hpp`) || existsSync(`${d}/oneapi/dnnl/dnnl.hpp`),
);
const INSTALL =
  'Debian/Ubuntu: sudo apt-get install libdnnl-dev; Fedora: sudo dnf install onednn-devel; macOS: brew install onednn';
if (!found) {
  say(`oneDNN not found (${INSTALL}); native addon skipped, training uses the WASM backend`);
  process.exit(0);
}
// The kernels use oneDNN 2.x's operation descriptors (`convolution_forward::desc`), which 3.0
// removed: with 3.x the compile would fail with pages of errors, so say it in one line instead.
const versionFile = [`${found}/oneapi/dnnl/dnnl_version.h`, `${found}/dnnl_version.h`].find((f) =>
  existsSync(f),
);
const versionText = versionFile ? readFileSync(versionFile, 'utf8') : '';
const part = (name) => versionText.match(new RegExp(`#define DNNL_VERSION_${name} (\\d+)`))?.[1];
const major = part('MAJOR');
if (major !== undefined && major !== '2') {
  say(
    `oneDNN ${major}.${part('MINOR')} found in ${found}, but the addon is written against oneDNN 2.x's API (3.x is not supported yet); native addon skipped, training uses the WASM backend`,
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
