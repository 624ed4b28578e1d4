// Reading and writing .dlnb files on disk, for the parts of dlnb that write notebooks
// themselves (`dlnb run --save/--out`). VS Code writes through the serializer instead.
//
// A write replaces the file the way an editor would, never in a way the user did not ask
// for: through a symlink to its target, keeping the file's mode (a private notebook stays
// private) and owner, refusing a file that is read-only or changed on disk since it was
// read. Every refusal happens before anything is written, and names the file, not ours.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
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

/** A write dlnb refused or could not do; the message says what to do, and nothing was changed. */
export class NotebookWriteError extends Error {
  override name = 'NotebookWriteError';
}

/** The file changed on disk since it was read: replacing it would lose that change. */
export class NotebookChangedError extends NotebookWriteError {
  override name = 'NotebookChangedError';
}

export interface WriteOptions {
  /** The bytes the file held when it was read; the write is refused if it holds others now. */
  unchangedSince?: Uint8Array;
}

/** Where a write to `path` lands: the file a chain of symlinks points at (it may not exist yet). */
export async function writeTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      link = await readlink(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'ENOTDIR') return current; // not a link
      throw err;
    }
    current = resolve(dirname(current), link);
  }
  throw new NotebookWriteError(`${path}: too many levels of symbolic links`);
}

/**
 * Checks that `path` can be written as a notebook, before any work that would be lost if it
 * could not; returns the target and the mode it has now (undefined for a new file).
 */
export async function checkWritable(path: string): Promise<{ target: string; mode?: number; uid?: number; gid?: number }> {
  const target = await writeTarget(path);
  const folder = dirname(target);
  const existing = await stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new NotebookWriteError(`cannot write ${path}: ${err.message}`);
  });
  if (existing && !existing.isFile()) throw new NotebookWriteError(`cannot write ${path}: it is not a file`);
  if (existing && ((existing.mode & 0o222) === 0 || !(await permits(target, constants.W_OK)))) {
    throw new NotebookWriteError(
      `${path} is read-only (mode ${(existing.mode & 0o777).toString(8)}), so it was left as it is: make it writable (chmod u+w) or write elsewhere with --out`,
    );
  }
  const folderStat = await stat(folder).catch(() => undefined);
  if (!folderStat?.isDirectory()) throw new NotebookWriteError(`cannot write ${path}: the folder ${folder} does not exist`);
  if (!(await permits(folder, constants.W_OK | constants.X_OK))) {
    throw new NotebookWriteError(
      `cannot write ${path}: you may not create files in ${folder} (needed to replace the notebook safely)`,
    );
  }
  return { target, mode: existing && existing.mode & 0o777, uid: existing?.uid, gid: existing?.gid };
}

/**
 * Writes through a temporary file in the target's folder, flushed, then renamed over the
 * target, so a crash or a full disk never leaves a half-written notebook behind.
 */
export async function writeNotebookFileAtomic(path: string, text: string, options: WriteOptions = {}): Promise<void> {
  const { target, mode, uid, gid } = await checkWritable(path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(text, 'utf8');
      // open()'s mode passes through the umask; the file's own mode must not.
      if (mode !== undefined) await handle.chmod(mode);
      // Only root may give a file away: the owner is kept when that is who writes it.
      if (uid !== undefined && gid !== undefined && process.getuid?.() === 0) await handle.chown(uid, gid).catch(() => undefined);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.unchangedSince && !(await holds(target, options.unchangedSince))) {
      throw new NotebookChangedError(`${path} changed on disk since it was read`);
    }
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    if (err instanceof NotebookWriteError) throw err;
    throw new NotebookWriteError(`could not write ${path}: ${(err as Error).message.replace(temp, target)}`);
  }
}

async function permits(path: string, mode: number): Promise<boolean> {
  return access(path, mode).then(
    () => true,
    () => false,
  );
}

async function holds(path: string, expected: Uint8Array): Promise<boolean> {
  const now = await readFile(path).catch(() => undefined);
  return now !== undefined && Buffer.compare(now, expected) === 0;
}
