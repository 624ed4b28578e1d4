// Where `dlnb run` writes (--save, --out, --charts), checked before the first cell runs:
// a run of many minutes must not end in "cannot write" with its results thrown away. And
// where the outputs go when the notebook changed on disk while it ran: beside it, so
// neither the user's edit nor the run is lost.
import { lstat, mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { checkWritable, writeNotebookFileAtomic } from '../shared/notebookFile';
import type { RunArgs } from './args';

/** The first reason the run's outputs could not be written, or undefined when all can be. */
export async function checkOutputTargets(args: RunArgs): Promise<string | undefined> {
  try {
    const notebookTarget = args.out ?? (args.save ? args.file : undefined);
    if (notebookTarget) await checkWritable(notebookTarget);
    if (args.chartsDir) await prepareChartsDir(args.chartsDir);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The charts folder exists (made now if needed) and is a folder. */
async function prepareChartsDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`--charts ${dir}: it is a file, not a folder`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(`--charts ${dir}: cannot create the folder: ${(error as Error).message}`);
  }
}

/** Writes `text` as a new file next to `file` (nb.dlnb -> nb.outputs.dlnb, nb.outputs-2.dlnb, ...); its path. */
export async function writeBeside(file: string, text: string): Promise<string> {
  const { dir, name } = path.parse(file);
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, `${name}.outputs${n === 1 ? '' : `-${n}`}.dlnb`);
    const taken = await lstat(candidate).then(
      () => true,
      () => false,
    );
    if (taken) continue;
    await writeNotebookFileAtomic(candidate, text);
    return candidate;
  }
  throw new Error(`no free name for the outputs next to ${file}`);
}
