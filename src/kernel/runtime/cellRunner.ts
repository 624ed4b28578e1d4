// Runs one cell at a time in the worker's own realm (tfjs's typed-array checks break
// across vm contexts): compile, declare its top-level names as globals, run, race the
// run against an interrupt, then report the value, the error or the interrupt, and
// what the cell did to tensor memory.
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import * as vm from 'node:vm';
import type { CellError, ExecuteDone, ExecuteRequest, RichOutput, WorkerEvent } from '../../shared/protocol';
import { compileCell, topLevelDeclarations } from '../compile';
import { AbandonedRuns } from './abandonedRuns';
import { CellSourceMaps, syntaxError, toCellError, undefinedName } from './cellErrors';
import { toMimeBundle } from './display';
import { heldTensors } from './heldTensors';
import { stopRunningFits } from './fitHooks';
import { InterruptError, InterruptFlag, isInterrupt } from './interrupt';
import type { CellOutput } from './output';
import type { PanelFeed } from './panelFeed';
import type { SourceRequests } from './sourceRequests';
import { ReplacedNames, type OldValue } from './replacedNames';

type Outcome = { kind: 'value'; value: unknown } | { kind: 'thrown'; error: unknown } | { kind: 'interrupted' };

/** The names a compiled cell declares, and what those that held tensors held before it ran. */
interface Declarations {
  names: string[];
  old: OldValue[];
}

export class CellRunner {
  readonly maps = new CellSourceMaps();
  /** Runs the kernel stopped waiting for; their loop ticks throw (see abandonedRuns.ts). */
  readonly abandoned = new AbandonedRuns();
  /** Names declared by every cell that has run: what the panel lists as the user's state. */
  private readonly declared = new Set<string>();
  private readonly declarationsBySource = new Map<string, string[]>();
  private readonly replacedNames = new ReplacedNames();
  private readonly cellEndCallbacks: (() => void)[] = [];
  /** The run that started most recently: uncaught errors and late output belong to it. */
  lastRunId: number | undefined;

  constructor(
    private readonly post: (event: WorkerEvent) => void,
    private readonly output: CellOutput,
    private readonly interrupt: InterruptFlag,
    private readonly panel: PanelFeed,
    private readonly onCellStart: () => void,
    private readonly sources: SourceRequests,
  ) {}

  *userGlobals(): Iterable<[string, unknown]> {
    const scope = globalThis as Record<string, unknown>;
    for (const name of this.declared) yield [name, scope[name]];
  }

  onCellEnd(callback: () => void): void {
    this.cellEndCallbacks.push(callback);
  }

  async execute(request: ExecuteRequest): Promise<void> {
    const started = performance.now();
    // The host lowers the interrupt flag before it sends each cell (see workerConnection.ts).
    this.lastRunId = request.id;
    this.output.begin(request.id);
    this.onCellStart();
    this.panel.cellStarted();
    const before = tf.memory();
    const heldBefore = heldTensors(this.userGlobals(), before.numTensors);

    const declarations: Declarations = { names: [], old: [] };
    let outcome = await this.run(request, declarations);
    // Stopped early by the user (e.g. a fit cut short by stopTraining) counts as interrupted.
    if (outcome.kind === 'value' && this.interrupt.raised) outcome = { kind: 'interrupted' };
    let done: Pick<ExecuteDone, 'status' | 'result' | 'error'>;
    if (outcome.kind === 'value') {
      const bundle = this.safely(() => toMimeBundle(outcome.value));
      done = { status: 'ok', result: bundle ? ({ bundle } satisfies RichOutput) : undefined };
    } else if (outcome.kind === 'interrupted' || isInterrupt(outcome.error)) {
      // Thrown from a loop tick, the error knows where the cell stopped; from an await it does not.
      const error =
        outcome.kind === 'thrown' ? toCellError(outcome.error, this.maps) : toCellError(new InterruptError(), this.maps);
      done = { status: 'interrupted', error };
    } else {
      done = { status: 'error', error: await this.explain(outcome.error, request) };
    }

    this.runCellEndCallbacks();
    this.output.flush();
    const after = tf.memory();
    const heldAfter = heldTensors(this.userGlobals(), after.numTensors);
    const scope = globalThis as Record<string, unknown>;
    const replaced = this.replacedNames.replaced(request.cell, declarations.names, declarations.old, scope, heldAfter.tensors);
    const replacedTensors = replaced.reduce((sum, r) => sum + r.tensors, 0);
    const replacedBytes = replaced.reduce((sum, r) => sum + r.bytes, 0);
    // What the cell allocated that no top-level variable holds: temporaries it forgot. Old
    // values of names it declared again are told apart, by name (see replacedNames.ts).
    const unheld = Math.max(0, after.numTensors - before.numTensors - (heldAfter.count - heldBefore.count));
    const unheldBytes = unheld && Math.max(0, after.numBytes - before.numBytes - (heldAfter.bytes - heldBefore.bytes));
    const leakedTensors = Math.max(0, unheld - replacedTensors);
    const leakedBytes = leakedTensors && Math.max(0, unheldBytes - replacedBytes);
    this.panel.recordLeak({
      cell: request.cell,
      tensors: leakedTensors + replacedTensors,
      bytes: leakedBytes + replacedBytes,
      ...(replaced.length ? { replaced } : {}),
    });
    this.post({
      type: 'done',
      id: request.id,
      ...done,
      memory: {
        tensorsBefore: before.numTensors,
        tensorsAfter: after.numTensors,
        bytesBefore: before.numBytes,
        bytesAfter: after.numBytes,
        leakedTensors,
        leakedBytes,
        ...(replaced.length ? { replaced } : {}),
      },
      durationMs: performance.now() - started,
    });
    this.panel.cellEnded();
  }

  private async run(request: ExecuteRequest, declarations: Declarations): Promise<Outcome> {
    const fileName = `dlnb-cell-${request.cell}-run-${request.id}.ts`;
    let compiled: ReturnType<typeof compileCell>;
    try {
      compiled = compileCell(request.source, { fileName });
    } catch (error) {
      return { kind: 'thrown', error };
    }
    if (compiled.diagnostics.length > 0) {
      return { kind: 'thrown', error: new CompileFailure(syntaxError(request.cell, compiled.diagnostics)) };
    }
    this.maps.add(fileName, request.cell, compiled.map, compiled.code);
    const scope = globalThis as Record<string, unknown>;
    declarations.names = compiled.declaredNames;
    declarations.old = this.replacedNames.oldValues(compiled.declaredNames, scope);
    for (const name of compiled.declaredNames) {
      if (!(name in scope)) scope[name] = undefined;
      this.declared.add(name);
    }

    let running: Promise<unknown>;
    try {
      running = Promise.resolve(this.abandoned.run(request.id, () => vm.runInThisContext(compiled.code, { filename: fileName })));
    } catch (error) {
      return { kind: 'thrown', error };
    }
    const watch = this.interrupt.watch(stopRunningFits);
    try {
      const outcome = await Promise.race<Outcome>([
        running.then(
          (value) => ({ kind: 'value', value }),
          (error: unknown) => ({ kind: 'thrown', error }),
        ),
        watch.raised.then(() => ({ kind: 'interrupted' })),
      ]);
      if (outcome.kind === 'interrupted') this.abandoned.abandon(request.id, running);
      return outcome;
    } finally {
      watch.stop();
    }
  }

  /** A CellError with mapped frames and, for `x is not defined`, where `x` is declared. */
  private async explain(thrown: unknown, request: ExecuteRequest): Promise<CellError> {
    if (thrown instanceof CompileFailure) return thrown.cellError;
    const error = toCellError(thrown, this.maps);
    const name = undefinedName(error);
    if (name) {
      const cellSources = await this.sources.ask(request.id);
      const index = cellSources.findIndex((source, i) => i + 1 !== request.cell && this.declarations(source).includes(name));
      if (index >= 0) error.hint = `\`${name}\` is declared in cell ${index + 1}, which has not run`;
    }
    return error;
  }

  private declarations(source: string): string[] {
    let names = this.declarationsBySource.get(source);
    if (!names) {
      names = this.safely(() => topLevelDeclarations(source)) ?? [];
      if (this.declarationsBySource.size > 500) this.declarationsBySource.clear();
      this.declarationsBySource.set(source, names);
    }
    return names;
  }

  private runCellEndCallbacks(): void {
    for (const callback of this.cellEndCallbacks.splice(0)) this.safely(callback);
  }

  /** Runs kernel-side work whose failure must not turn into a cell error. */
  private safely<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.output.write('stderr', `dlnb: ${error instanceof Error ? error.message : String(error)}\n`);
      return undefined;
    }
  }
}

/** A cell that did not compile: carries its ready-made CellError. */
class CompileFailure extends Error {
  constructor(readonly cellError: CellError) {
    super(cellError.message);
  }
}
