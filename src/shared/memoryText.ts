// How tensor memory reads to users, in the extension and in `dlnb run` alike.
import type { MemoryReport, ReplacedName } from './protocol';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1234 -> "1.2 KB"; sizes are in powers of 1024 like tf.memory() readers expect. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The note shown under a cell that left tensors allocated, or undefined when it did not. */
export function leakNote(memory: MemoryReport): string | undefined {
  if (memory.leakedTensors <= 0) return undefined;
  return (
    `⚠ this cell left ${plural(memory.leakedTensors, 'tensor')} (${formatBytes(memory.leakedBytes)}) allocated ` +
    'that no variable holds; wrap temporary work in tf.tidy(() => ...) or dispose it\n'
  );
}

/**
 * One line per top-level name a cell declared again while its old value's tensors were
 * still allocated: "`x` (a [256,1] float32 tensor from cell 6) was replaced; ...".
 */
export function replacedNote(memory: MemoryReport): string | undefined {
  if (!memory.replaced?.length) return undefined;
  return memory.replaced.map(replacedLine).join('');
}

function replacedLine(r: ReplacedName): string {
  const from = r.fromCell === undefined ? '' : ` from cell ${r.fromCell}`;
  const size = `${plural(r.tensors, 'tensor')}, ${formatBytes(r.bytes)}`;
  return (
    `⚠ \`${r.name}\` (${r.what}${from}) was replaced; its memory (${size}) is still held:\n` +
    `  dispose it first (\`${r.dispose}\`), or declare it once with \`let\` and dispose before reassigning\n`
  );
}
