// Makes `require('vscode')` load test/fakes/vscode.ts. Import this before any host module.
import Module from 'node:module';
import { join } from 'node:path';

const fake = join(__dirname, 'vscode.ts');
const moduleWithResolver = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
};
const resolve = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fake : resolve.call(this, request, ...rest);
};
