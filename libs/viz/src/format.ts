/** Placeholder shown for missing or non-finite values. */
export const MISSING = '—';

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Human duration: `850 ms`, `12.3 s`, `4m 05s`, `2h 07m`, `3d 04h`. Negative, null or
 * non-finite input gives {@link MISSING}.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  const s = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const m = totalMinutes % 60;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours === 0) return `${totalMinutes}m ${pad2(s)}s`;
  if (totalHours < 24) return `${totalHours}h ${pad2(m)}m`;
  return `${Math.floor(totalHours / 24)}d ${pad2(totalHours % 24)}h`;
}

/** Parameter count with a metric suffix: `812`, `45.6K`, `1.23M`, `2.5B` (three significant digits). */
export function formatParams(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return MISSING;
  const abs = Math.abs(n);
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) return `${trimZeros((n / size).toPrecision(3))}${suffix}`;
  }
  return String(Math.round(n));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A metric value with `digits` significant digits (default 4), switching to exponent notation
 * for very small or large magnitudes (learning rates like `1e-4`). Integers print as integers.
 */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v == null || !Number.isFinite(v)) return MISSING;
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) {
    const [mantissa, exponent] = v.toExponential(Math.max(0, digits - 2)).split('e');
    return `${trimZeros(mantissa ?? '')}e${Number(exponent)}`;
  }
  return trimZeros(v.toPrecision(digits));
}

/** A fraction in [0, 1] as a percentage with `decimals` decimals (default 1): `0.9234` → `92.3%`. */
export function formatPercent(v: number | null | undefined, decimals = 1): string {
  if (v == null || !Number.isFinite(v)) return MISSING;
  return `${(v * 100).toFixed(decimals)}%`;
}

/** Byte size in binary units: `512 B`, `1.5 KiB`, `12.0 MiB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return MISSING;
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
