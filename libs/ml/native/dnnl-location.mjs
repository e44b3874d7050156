// Where oneDNN is installed: used by build-if-available.mjs (import) and binding.gyp
// (`node dnnl-location.mjs include|lib|version`, run by gyp in this folder).
//
// Looked up in order: $CONVSCOPE_DNNL_PREFIX, $DNNLROOT (oneDNN's own variable), /usr
// (Debian/Ubuntu, Fedora), /usr/local (a source build, Homebrew on Intel Macs), /opt/homebrew
// (Homebrew on Apple silicon). A prefix holds include/dnnl.hpp (2.x, and 3.x's compatibility
// wrapper) or include/oneapi/dnnl/dnnl.hpp (3.x) and the library in lib, lib64 or Debian's
// lib/<multiarch>.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Prefixes searched when no environment variable names one. */
export const DEFAULT_PREFIXES = ['/usr', '/usr/local', '/opt/homebrew'];

/** Prefixes the compiler and linker search anyway: no -I / -L for them (-I/usr/include breaks GCC's #include_next). */
const SYSTEM_PREFIXES = new Set(['/usr']);

const LIB_NAMES = ['libdnnl.so', 'libdnnl.dylib'];

function libDirOf(prefix) {
  const multiarch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch];
  const dirs = [
    `${prefix}/lib`,
    `${prefix}/lib64`,
    ...(multiarch ? [`${prefix}/lib/${multiarch}`] : []),
  ];
  return dirs.find((d) => LIB_NAMES.some((n) => existsSync(`${d}/${n}`)));
}

/**
 * Finds oneDNN's headers. Returns null when no prefix has them; otherwise the prefix, its
 * include folder, its library folder (undefined when the library was not found beside them),
 * the version from dnnl_version.h ({ major, minor, patch } as numbers, undefined without that
 * file), whether the prefix is a system one (no -I / -L needed), and which variable named it.
 */
export function findDnnl(env = process.env) {
  const named = [
    ['CONVSCOPE_DNNL_PREFIX', env.CONVSCOPE_DNNL_PREFIX],
    ['DNNLROOT', env.DNNLROOT],
  ].filter(([, v]) => v);
  const candidates = [
    ...named.map(([name, p]) => ({ prefix: p, from: name })),
    ...DEFAULT_PREFIXES.map((p) => ({ prefix: p })),
  ];
  for (const { prefix, from } of candidates) {
    const include = `${prefix}/include`;
    if (!existsSync(`${include}/dnnl.hpp`) && !existsSync(`${include}/oneapi/dnnl/dnnl.hpp`))
      continue;
    const versionFile = [`${include}/oneapi/dnnl/dnnl_version.h`, `${include}/dnnl_version.h`].find(
      (f) => existsSync(f),
    );
    const text = versionFile ? readFileSync(versionFile, 'utf8') : '';
    const part = (name) => {
      const m = text.match(new RegExp(`#define DNNL_VERSION_${name} (\\d+)`));
      return m ? Number(m[1]) : undefined;
    };
    const major = part('MAJOR');
    const version =
      major === undefined ? undefined : { major, minor: part('MINOR'), patch: part('PATCH') };
    return {
      prefix,
      include,
      lib: libDirOf(prefix),
      version,
      system: SYSTEM_PREFIXES.has(prefix),
      from,
    };
  }
  return null;
}

// As a script (binding.gyp): print one folder for gyp, or '' when the compiler finds it anyway.
// Compared as real paths: Node resolves its main module's symlinks in import.meta.url only.
if (
  process.argv[1] &&
  realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1])
) {
  const found = findDnnl();
  const what = process.argv[2];
  let out = '';
  if (found && !found.system) {
    if (what === 'include') out = found.include;
    else if (what === 'lib') out = found.lib ?? '';
  }
  if (what === 'version' && found?.version) out = `${found.version.major}.${found.version.minor}`;
  process.stdout.write(out);
}
