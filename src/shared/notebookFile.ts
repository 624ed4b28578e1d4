// Reading and writing .dlnb files on disk, for the parts of dlnb that write notebooks
// themselves (`dlnb run --save/--out`). VS Code writes through the serializer instead.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeNotebookBytes, DlnbFormatError, parseNotebook, type DlnbNotebook } from './dlnbFormat';

/** Reads and validates a notebook; errors name the file and the line or field. */
export async function readNotebookFile(path: string): Promise<DlnbNotebook> {
  const bytes = await readFile(path);
  try {
    return parseNotebook(decodeNotebookBytes(bytes));
  } catch (err) {
    if (err instanceof DlnbFormatError) {
      throw new DlnbFormatError(`${path}: ${err.message}`, err.location, err.field);
    }
    throw err;
  }
}

/**
 * Writes through a temporary file in the same folder, flushed, then renamed over the
 * target, so a crash or a full disk never leaves a half-written notebook behind.
 */
export async function writeNotebookFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
