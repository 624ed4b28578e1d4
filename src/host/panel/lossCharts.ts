// "Show Loss Curve": one webview beside the notebook, reused for whichever run is opened
// next (a panel per run squeezed the notebook into ever more groups). The curve is read
// from the kernel when the chart opens and again whenever the run grows, while its kernel lives.
import * as vscode from 'vscode';
import type { KernelHandle } from '../../kernel-client/types';
import type { LossChartMessage, LossChartUpdate, LossRun } from '../../shared/protocol';
import type { Log } from '../log';
import { lossChartHtml, newNonce } from './lossChartHtml';
import { CURVE_DATA, curveChart } from './lossChartSpec';
import { notebookColumn, panelColumns, sideColumn } from './sideGroup';
import { VALUES_SCHEME } from './valuesDocument';

function stepsOf(run: LossRun): number {
  return run.loss.steps + run.metrics.reduce((sum, m) => sum + m.steps, 0);
}

class LossChart implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private latest: LossChartUpdate | undefined;
  /** Steps of the run drawn, and of the run as last reported. */
  private steps = -1;
  private wantedSteps = -1;
  private reading = false;
  private panelDisposed = false;
  /** False once its kernel restarted or ended: the chart keeps what it drew. */
  live = true;
  /** Counts the runs shown, so a read started for the previous run is read again. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    public kernel: KernelHandle,
    public runId: string,
    private title: string,
    viewColumn: vscode.ViewColumn,
    extensionUri: vscode.Uri,
    private readonly log: Log,
    onDispose: () => void,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel(
      'dlnb.lossChart',
      `Loss: ${title}`,
      { viewColumn, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [dist],
      },
    );
    this.panel.webview.html = lossChartHtml({
      cspSource: this.panel.webview.cspSource,
      scriptUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'lossChart.js')).toString(),
      nonce: newNonce(),
    });
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((message: LossChartMessage) => {
        // A webview hidden and shown again starts over: give it the curve again.
        if (message.type === 'ready' && this.latest) void this.panel.webview.postMessage(this.latest);
        if (message.type === 'error') this.log.warn(`Loss curve of ${this.title}: ${message.message}`);
      }),
      this.panel.onDidDispose(() => {
        this.panelDisposed = true;
        this.dispose();
        onDispose();
      }),
    );
  }

  /** Shows another run (of the same or another kernel) in this panel. */
  retarget(kernel: KernelHandle, runId: string, title: string): void {
    this.kernel = kernel;
    this.runId = runId;
    this.title = title;
    this.panel.title = `Loss: ${title}`;
    this.live = true;
    this.steps = -1;
    this.wantedSteps = -1;
    this.latest = undefined;
    this.generation++;
  }

  /**
   * Reads the curve again when the run has grown (or on first show), and sends it. One read
   * at a time: a kernel busy in a synchronous loop answers only when the loop ends, and
   * snapshots arriving meanwhile should not queue a read each.
   */
  async update(run: LossRun | undefined, maxPoints: number): Promise<void> {
    if (!this.live || this.panelDisposed) return;
    if (run) {
      this.title = run.name;
      this.wantedSteps = stepsOf(run);
      if (this.wantedSteps === this.steps) return;
    }
    if (this.reading) return;
    this.reading = true;
    try {
      let generation: number;
      do {
        generation = this.generation;
        this.steps = this.wantedSteps;
        const points = await this.kernel.curve(this.runId);
        if (!this.live || this.panelDisposed) return;
        if (generation !== this.generation) continue;
        const { spec, values } = curveChart(this.title, points, maxPoints);
        this.latest = { type: 'curve', spec, dataName: CURVE_DATA, values };
        void this.panel.webview.postMessage(this.latest);
      } while (this.wantedSteps !== this.steps || generation !== this.generation);
    } finally {
      this.reading = false;
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    this.panel.dispose();
  }
}

export class LossCharts implements vscode.Disposable {
  /** The one chart panel, while it is open. */
  private chart: LossChart | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  private maxPoints(): number {
    return vscode.workspace.getConfiguration('dlnb').get<number>('chartMaxPoints', 5000);
  }

  /** The chart's panel, for documents that share its group. */
  panels(): vscode.WebviewPanel[] {
    return this.chart ? [this.chart.panel] : [];
  }

  /** Shows the chart of one run of `kernel`, in the panel already open if there is one. */
  async open(kernel: KernelHandle, run: LossRun | { id: string; name: string }): Promise<void> {
    const chart = this.chart;
    if (chart) {
      const same = chart.kernel === kernel && chart.runId === run.id && chart.live;
      if (!same) chart.retarget(kernel, run.id, run.name);
      chart.panel.reveal(chart.panel.viewColumn, true);
      if (same) return;
      await chart.update('loss' in run ? run : undefined, this.maxPoints());
      return;
    }
    const column = sideColumn(notebookColumn(), panelColumns(VALUES_SCHEME, []));
    const created = new LossChart(kernel, run.id, run.name, column, this.extensionUri, this.log, () => {
      if (this.chart === created) this.chart = undefined;
    });
    this.chart = created;
    await created.update('loss' in run ? run : undefined, this.maxPoints());
  }

  /** New snapshot of `kernel`'s runs: a chart of a run that grew reads its curve again. */
  runsChanged(kernel: KernelHandle, runs: LossRun[]): void {
    const chart = this.chart;
    const run = runs.find((r) => r.id === chart?.runId);
    if (!chart || chart.kernel !== kernel || !run || !chart.live) return;
    chart.update(run, this.maxPoints()).catch((err: unknown) => this.log.warn(`Could not update the loss curve: ${String(err)}`));
  }

  /** The kernel restarted or ended: its chart stops following (run ids start over). */
  kernelEnded(kernel: KernelHandle): void {
    if (this.chart?.kernel === kernel) this.chart.live = false;
  }

  dispose(): void {
    this.chart?.dispose();
    this.chart = undefined;
  }
}
