// The line `npm start` prints when the oneDNN addon cannot be used (tools/launcher/native-hint.ts):
// its figure is the README's measurement, it names each platform's package, and it appears only
// when the addon is missing or does not load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MEASURED_FMNIST_TRAIN,
  ONEDNN_ADDON_RELATIVE_PATH,
  onednnAddonProblem,
  onednnHintText,
} from '../../tools/launcher/native-hint';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-native-hint-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** fmnist-cnn's "train img/s" column of a backend's row in the README's throughput table. */
function readmeTrainRate(backend: string): number {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith(`| \`${backend}\``));
  if (!row) throw new Error(`README has no throughput row for ${backend}`);
  const cell = row.split('|')[2] ?? '';
  return Number(cell.replace(/[,*\s]/g, ''));
}

describe('the oneDNN hint of npm start', () => {
  it("cites the README's measured fmnist-cnn training rates", () => {
    expect(MEASURED_FMNIST_TRAIN).toEqual({
      onednn: readmeTrainRate('onednn'),
      wasm: readmeTrainRate('wasm'),
    });
  });

  it('is one line with the rounded ratio, the figures and every platform', () => {
    const text = onednnHintText({
      onednnImagesPerSec: 2789,
      wasmImagesPerSec: 560,
      reason: 'not built',
    });
    expect(text).not.toContain('\n');
    expect(text).toContain('training runs on WebAssembly (oneDNN addon not built)');
    expect(text).toContain('about 5x faster');
    expect(text).toContain('2,789 vs 560 images/s');
    expect(text).toContain('Debian/Ubuntu `sudo apt-get install libdnnl-dev`');
    expect(text).toContain('Fedora `sudo dnf install onednn-devel`');
    expect(text).toContain('macOS `brew install onednn libomp` (untested)');
    expect(text).toContain('`npm run build:native -w @convscope/ml`');
    expect(text).toContain('oneDNN 2.x or 3.x');
    expect(text).toContain('CONVSCOPE_DNNL_PREFIX=<prefix>');
  });

  it('keeps a decimal for small ratios', () => {
    expect(onednnHintText({ onednnImagesPerSec: 150, wasmImagesPerSec: 100 })).toContain(
      'about 1.5x faster',
    );
  });

  it('says why the addon is unusable: missing, failing to load, or fine', () => {
    expect(onednnAddonProblem(scratch)).toBe('not built');
    const file = path.join(scratch, ONEDNN_ADDON_RELATIVE_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'not an ELF file');
    const failing = (): never => {
      throw new Error('libdnnl.so.2: cannot open shared object file\nmore');
    };
    expect(onednnAddonProblem(scratch, failing)).toBe(
      'does not load: libdnnl.so.2: cannot open shared object file',
    );
    expect(onednnAddonProblem(scratch, () => ({}))).toBeNull();
  });
});
