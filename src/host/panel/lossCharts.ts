// "Show Loss Curve": one webview per run, beside the notebook. The curve is read from the
// kernel when the chart opens and again whenever the run grows, while its kernel lives.
import * as vscode from 'vscode';
import type { KernelHandle } from '../../kernel-client/types';
import type { LossChartMessage, LossChartUpdate, LossRun } from '../../shared/protocol';
import type { Log } from '../log';
import { lossChartHtml, newNonce } from './lossChartHtml';
import { CURVE_DATA, curveChart } from './lossChartSpec';

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
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly kernel: KernelHandle,
    readonly runId: string,
    private title: string,
    extensionUri: vscode.Uri,
    private readonly log: Log,
    onDispose: () => void,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('dlnb.lossChart', `Loss: ${title}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
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
      do {
        this.steps = this.wantedSteps;
        const points = await this.kernel.curve(this.runId);
        if (!this.live || this.panelDisposed) return;
        const { spec, values } = curveChart(this.title, points, maxPoints);
        this.latest = { type: 'curve', spec, dataName: CURVE_DATA, values };
        void this.panel.webview.postMessage(this.latest);
      } while (this.wantedSteps !== this.steps);
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
  private readonly charts = new Set<LossChart>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  private maxPoints(): number {
    return vscode.workspace.getConfiguration('dlnb').get<number>('chartMaxPoints', 5000);
  }

  /** Opens (or reveals) the chart of one run of `kernel`. */
  async open(kernel: KernelHandle, run: LossRun | { id: string; name: string }): Promise<void> {
    const existing = [...this.charts].find((c) => c.kernel === kernel && c.runId === run.id && c.live);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return;
    }
    const chart = new LossChart(kernel, run.id, run.name, this.extensionUri, this.log, () => this.charts.delete(chart));
    this.charts.add(chart);
    await chart.update('loss' in run ? run : undefined, this.maxPoints());
  }

  /** New snapshot of `kernel`'s runs: charts of runs that grew read their curve again. */
  runsChanged(kernel: KernelHandle, runs: LossRun[]): void {
    const byId = new Map(runs.map((run) => [run.id, run]));
    for (const chart of this.charts) {
      const run = byId.get(chart.runId);
      if (chart.kernel !== kernel || !run || !chart.live) continue;
      chart.update(run, this.maxPoints()).catch((err: unknown) => this.log.warn(`Could not update the loss curve: ${String(err)}`));
    }
  }

  /** The kernel restarted or ended: its charts stop following (run ids start over). */
  kernelEnded(kernel: KernelHandle): void {
    for (const chart of this.charts) {
      if (chart.kernel === kernel) chart.live = false;
    }
  }

  dispose(): void {
    for (const chart of [...this.charts]) chart.dispose();
    this.charts.clear();
  }
}
