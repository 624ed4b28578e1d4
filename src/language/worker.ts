// The language worker: TypeScript's language service for every open notebook, off the
// extension host's thread so that checking a notebook never delays typing or a running
// cell. Messages are src/shared/languageProtocol.ts; the host side is
// src/host/language/languageClient.ts.
import ts from 'typescript';
import { parentPort, workerData } from 'node:worker_threads';
import type { LanguageEvent, LanguageQuery, LanguageRequest, LanguageWorkerData } from '../shared/languageProtocol';
import { loadDeclarations } from './declarations';
import { NotebookSession } from './notebookSession';

const port = parentPort!;
const post = (event: LanguageEvent) => port.postMessage(event);
const { declarationsPath } = workerData as LanguageWorkerData;
const declarations = loadDeclarations(declarationsPath);
const registry = ts.createDocumentRegistry();
const sessions = new Map<string, NotebookSession>();

function answer(session: NotebookSession | undefined, query: LanguageQuery): unknown {
  if (query.op === 'declarationText') return declarations.files.get(query.path);
  if (!session) throw new Error('that notebook is not open in the language worker');
  const service = session.service;
  switch (query.op) {
    case 'completions':
      return service.completions(query.cellId, query.offset, query.triggerCharacter);
    case 'completionDetails':
      return service.completionDetails(query.cellId, query.offset, query.name, query.source, query.data);
    case 'hover':
      return service.hover(query.cellId, query.offset);
    case 'signatureHelp':
      return service.signatureHelp(query.cellId, query.offset);
    case 'definition':
      return service.definition(query.cellId, query.offset);
  }
}

function handle(request: LanguageRequest): void {
  switch (request.type) {
    case 'update': {
      let session = sessions.get(request.notebook);
      if (!session) {
        session = new NotebookSession(ts, declarations, request.dir, registry, request.notebook, post);
        sessions.set(request.notebook, session);
      }
      session.update(request.cells, request.diagnostics);
      return;
    }
    case 'close':
      sessions.get(request.notebook)?.dispose();
      sessions.delete(request.notebook);
      return;
    case 'query': {
      const session = sessions.get(request.notebook);
      try {
        post({ type: 'answer', id: request.id, result: answer(session, request.query) });
      } catch (err) {
        post({ type: 'answer', id: request.id, error: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
  }
}

port.on('message', (request: LanguageRequest) => {
  try {
    handle(request);
  } catch (err) {
    post({ type: 'log', message: `language worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
  }
});
post({ type: 'ready' });
