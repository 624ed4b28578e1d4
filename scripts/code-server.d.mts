// Types of code-server.mjs for the TypeScript tests that start code-server.
export declare const chromiumPath: string;
export declare const quietSettings: Record<string, unknown>;

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  xdgConfig: string;
  xdgData: string;
  xdgCache: string;
  logFile: string;
}

export interface CodeServer {
  host: string;
  port: number;
  url: string;
  pid: number;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  remoteUri(path: string): string;
  workbenchUrl(folder?: string, payload?: [string, string][]): string;
  stop(): Promise<void>;
}

export declare function createProfile(root: string, settings?: Record<string, unknown>): Profile;
export declare function installExtension(profile: Profile, vsixPath: string): Promise<void>;
export declare function freePort(): Promise<number>;
export declare function startCodeServer(options: {
  profile: Profile;
  folder?: string;
  trustWorkspaces?: boolean;
  vscodeOptions?: string[];
  env?: Record<string, string>;
  port?: number;
  /** VS Code's display language, e.g. `zh-cn`. */
  locale?: string;
}): Promise<CodeServer>;
