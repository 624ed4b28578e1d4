// The learning kit's messages as users see them: through the production bundle that ships
// (minified, what `npm run package` builds), run by the built `dlnb run`. The unit tests run
// the sources, where class names are always right; a minifier renames classes, and the kit
// builds its printed modules and error prefixes from them. So this test builds the shipped
// bundle and checks that every printed module, error and PyTorch habit names the real thing.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');

/** Each line a cell prints: a try of `code`, its value or its error message. */
const probes: Array<[label: string, code: string]> = [
  ['linear', 'String(new dl.nn.Linear(2, 3))'],
  [
    'sequential',
    'String(new dl.nn.Sequential(new dl.nn.Linear(2, 3), new dl.nn.ReLU(), new dl.nn.Sigmoid(), new dl.nn.Tanh(), new dl.nn.Softmax(), new dl.nn.LogSoftmax({ dim: 1 })))',
  ],
  [
    'losses',
    "[new dl.nn.L1Loss(), new dl.nn.MSELoss({ reduction: 'sum' }), new dl.nn.NLLLoss(), new dl.nn.CrossEntropyLoss({ weight: [1, 2] }), new dl.nn.BCELoss()].map(String).join(' ')",
  ],
  ['optimizer', 'String(new dl.optim.Adam(net.parameters(), { lr: 0.1 }))'],
  ['call', 'tf.tidy(() => tf.sub(net(x), net.forward(x)).abs().max().dataSync()[0])'],
  [
    'lossCall',
    'tf.tidy(() => criterion(net(x), target).dataSync()[0] === criterion.forward(net.forward(x), target).dataSync()[0])',
  ],
  ['shapeError', 'criterion.forward(net.forward(x), tf.zeros([4]))'],
  ['classError', 'new dl.nn.CrossEntropyLoss().forward(tf.zeros([2, 3]), [0, 5])'],
  ['nllError', 'new dl.nn.NLLLoss({ weight: [1, 2] }).forward(tf.zeros([2, 3]), [0, 1])'],
  ['bceError', 'new dl.nn.BCELoss({ weight: [1, 2, 3] }).forward(tf.zeros([2, 2]), tf.zeros([2, 2]))'],
  ['reductionError', "new dl.nn.L1Loss({ reduction: 'avg' as 'mean' })"],
  ['sgdEmpty', 'new dl.optim.SGD([], { lr: 0.1 })'],
  ['adamEmpty', 'new dl.optim.Adam([])'],
  ['rmspropEmpty', 'new dl.optim.RMSprop([])'],
  ['sgdLr', 'new dl.optim.SGD(net.parameters(), { lr: -1 })'],
  ['linearInput', 'new dl.nn.Linear(2, 3).forward(tf.zeros([4, 5]))'],
  ['softmaxDim', 'new dl.nn.Softmax({ dim: 3 }).forward(tf.zeros([2, 2]))'],
  ['noForward', 'new (class Net extends dl.nn.Module {})().forward(x)'],
  ['withoutNew', '(dl.nn.Linear as any)(1, 1)'],
  ['optimizerWithoutNew', '(dl.optim.SGD as any)(net.parameters(), { lr: 0.1 })'],
  ['snakeCase', 'new dl.optim.SGD(net.parameters(), { lr: 0.1, weight_decay: 0.1 } as any)'],
  ['typo', "new dl.nn.MSELoss({ reduce: 'sum' } as any)"],
  ['amsgrad', 'new dl.optim.Adam(net.parameters(), { amsgrad: true } as any)'],
  ['maximize', 'new dl.optim.SGD(net.parameters(), { lr: 0.1, maximize: true } as any)'],
  ['foreach', 'new dl.optim.RMSprop(net.parameters(), { foreach: true } as any)'],
];

const expected: Record<string, string> = {
  linear: 'Linear(in_features=2, out_features=3, bias=true)',
  sequential:
    'Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=true)\n  (1): ReLU()\n  (2): Sigmoid()\n  (3): Tanh()\n  (4): Softmax(dim=-1)\n  (5): LogSoftmax(dim=1)\n)',
  losses: "L1Loss() MSELoss(reduction='sum') NLLLoss() CrossEntropyLoss(weight=[1, 2]) BCELoss()",
  optimizer: 'Adam (2 parameters, lr 0.1)',
  call: '0',
  lossCall: 'true',
  shapeError:
    'MSELoss: the input has shape [4, 1] but the target has shape [4]; they must match (reshape one, e.g. target.reshape([-1, 1]))',
  classError: 'CrossEntropyLoss: target class 5 is out of range for 3 classes (0 to 2)',
  nllError: 'NLLLoss: weight has 2 values but the input has 3 classes',
  bceError: "BCELoss: weight of shape [3] does not broadcast to the input's shape [2, 2]",
  reductionError: "L1Loss: reduction must be 'mean', 'sum' or 'none', got \"avg\"",
  sgdEmpty: 'SGD(params, options): got an empty parameter list',
  adamEmpty: 'Adam(params, options): got an empty parameter list',
  rmspropEmpty: 'RMSprop(params, options): got an empty parameter list',
  sgdLr: 'SGD(params, options): lr must be a number >= 0, got -1',
  linearInput:
    "Linear(in_features=2, out_features=3, bias=true): the input's last dimension must be 2, but the input has shape [4, 5]",
  softmaxDim: 'Softmax: dim 3 is out of range for an input of shape [2, 2] (expected -2 to 1)',
  noForward: 'Net is missing the required forward() method',
  withoutNew: 'dl.nn.Linear is a class: create it with new, as in new dl.nn.Linear(1, 1)',
  optimizerWithoutNew: 'dl.optim.SGD is a class: create it with new, as in new dl.optim.SGD(...)',
  snakeCase: "SGD(params, options): unknown option 'weight_decay': did you mean 'weightDecay'?",
  typo: "MSELoss(options): PyTorch's option 'reduce' is not supported by the learning kit (it is deprecated in PyTorch; use reduction)",
  amsgrad:
    "Adam(params, options): PyTorch's option 'amsgrad' is not supported by the learning kit (the kit implements Adam without the AMSGrad variant)",
  maximize:
    "SGD(params, options): PyTorch's option 'maximize' is not supported by the learning kit (minimise the negated loss instead)",
  foreach:
    "RMSprop(params, options): PyTorch's option 'foreach' is not supported by the learning kit (it selects an implementation in PyTorch; the kit has one)",
};

function notebook(): string {
  const setup = [
    'dl.manualSeed(1);',
    'const net = new dl.nn.Linear(3, 1);',
    'const criterion = new dl.nn.MSELoss();',
    'const x = dl.rand(4, 3);',
    'const target = dl.rand(4, 1);',
  ].join('\n');
  const probe = [
    'const results: Record<string, string> = {};',
    ...probes.map(
      ([label, code]) =>
        `try { results[${JSON.stringify(label)}] = String(${code}); } catch (e) { results[${JSON.stringify(label)}] = (e as Error).message; }`,
    ),
    'console.log(JSON.stringify(results));',
  ].join('\n');
  const cells = [setup, probe].map((source) => ({ kind: 'code', source }));
  return JSON.stringify({ dlnb: 1, metadata: {}, cells });
}

describe('the learning kit through the shipped bundle', () => {
  let dir: string;
  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'pipe' });
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-kit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints modules, errors and PyTorch habits with the real class names', async () => {
    const file = path.join(dir, 'kit.dlnb');
    writeFileSync(file, notebook());
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(root, 'dist/cli.js'), 'run', file], { timeout: 120_000 }, (error, out, err) =>
        error ? reject(new Error(`dlnb run failed: ${err || error.message}`)) : resolve(out),
      );
    });
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    assert.ok(line, `no results printed: ${stdout}`);
    const results = JSON.parse(line) as Record<string, string>;
    for (const [label] of probes) assert.equal(results[label], expected[label], label);
  });
});
