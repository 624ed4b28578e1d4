// The kernel settings from `dlnb.*`, checked and clamped to the manifest's minimums so a
// hand-edited settings.json cannot start a kernel with nonsense. Pure.
import type { Backend } from '../../shared/protocol';

export interface KernelSettings {
  backend: Backend;
  maxOutputChars: number;
  memoryLimitMb: number;
  chartMaxPoints: number;
  /** Whether large matrix products may use a helper thread on a second core. */
  useSecondCore: boolean;
}

/** Settings that only a new kernel picks up. */
export const KERNEL_SETTING_KEYS = [
  'dlnb.backend',
  'dlnb.maxOutputChars',
  'dlnb.kernelMemoryLimitMb',
  'dlnb.chartMaxPoints',
  'dlnb.useSecondCore',
] as const;

/** Reads one `dlnb.<key>` value; VS Code's WorkspaceConfiguration.get fits. */
export type SettingReader = (key: string) => unknown;

function numberSetting(read: SettingReader, key: string, fallback: number, min: number): number {
  const value = read(key);
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.max(min, Math.floor(value));
}

export function readKernelSettings(read: SettingReader): KernelSettings {
  const backend = read('backend');
  return {
    backend: backend === 'cpu' ? 'cpu' : 'wasm',
    maxOutputChars: numberSetting(read, 'maxOutputChars', 200_000, 1000),
    memoryLimitMb: numberSetting(read, 'kernelMemoryLimitMb', 4096, 256),
    chartMaxPoints: numberSetting(read, 'chartMaxPoints', 5000, 100),
    useSecondCore: read('useSecondCore') !== false,
  };
}

export interface NotebookLocation {
  /** The notebook URI's scheme: 'file' for saved notebooks, 'untitled' for new ones. */
  scheme: string;
  /** Its file-system path (meaningful for 'file'). */
  fsPath: string;
  /** The workspace folder holding it, if any, else the first workspace folder. */
  workspaceFolder: string | undefined;
  home: string;
}

/** Where bare imports in cells resolve from: the notebook's folder, else the workspace, else home. */
export function notebookDirFor(location: NotebookLocation, dirname: (p: string) => string): string {
  if (location.scheme === 'file') return dirname(location.fsPath);
  return location.workspaceFolder ?? location.home;
}
