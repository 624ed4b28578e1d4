// `dlnb run --save/--out/--charts` never loses or exposes a user's file: modes and symlinks
// are kept, a file the user may not write is refused before anything runs, and a notebook
// edited while it ran keeps the edit (the outputs go beside it). Runs the built
// dist/cli.js (`node esbuild.mjs --production` first); permission cases run as `nobody`,
// since root may write any file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const cli = path.resolve(__dirname, '../../dist/cli.js');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function dlnb(args: string[], cwd: string, asNobody = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, commandArgs] = asNobody
    ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, cli, ...args]]
    : [process.execPath, [cli, ...args]];
  return new Promise((resolve) => {
    execFile(command, commandArgs, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const notebook = (...sources: string[]) =>
  JSON.stringify({ dlnb: 1, metadata: {}, cells: sources.map((source) => ({ kind: 'code', source })) }, null, 2) + '\n';

describe('dlnb run: the files it writes', () => {
  let dir: string;
  const file = (name: string, text = notebook('console.log("ran")')) => {
    const target = path.join(dir, name);
    writeFileSync(target, text);
    return target;
  };

  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`node esbuild.mjs --production\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-cli-files-'));
    chmodSync(dir, 0o777); // reachable by `nobody`
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--save keeps a private notebook private (mode 600)', async () => {
    const nb = file('private.dlnb');
    chmodSync(nb, 0o600);
    const { code, stderr } = await dlnb(['run', nb, '--save'], dir);
    assert.equal(code, 0, stderr);
    assert.equal(statSync(nb).mode & 0o777, 0o600);
    assert.match(readFileSync(nb, 'utf8'), /"outputs"/);
  });

  it('--save through a symlink writes the target and keeps the link', async () => {
    const real = file('real.dlnb');
    const link = path.join(dir, 'link.dlnb');
    symlinkSync('real.dlnb', link);
    const { code, stderr } = await dlnb(['run', link, '--save'], dir);
    assert.equal(code, 0, stderr);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readlinkSync(link), 'real.dlnb');
    assert.match(readFileSync(real, 'utf8'), /"outputs"/);
  });

  it(
    '--save refuses a read-only notebook before running, and leaves it as it was',
    { skip: !asRoot && 'needs root to switch user' },
    async () => {
      const nb = file('readonly.dlnb');
      chownSync(nb, NOBODY, NOBODY);
      chmodSync(nb, 0o444);
      const before = readFileSync(nb, 'utf8');
      const { code, stdout, stderr } = await dlnb(['run', nb, '--save'], dir, true);
      assert.equal(code, 2);
      assert.equal(stdout, '', 'no cell ran');
      assert.match(
        stderr,
        /readonly\.dlnb is read-only \(mode 444\), so it was left as it is: make it writable \(chmod u\+w\) or write elsewhere with --out; no cell was run/,
      );
      assert.equal(readFileSync(nb, 'utf8'), before);
      assert.equal(statSync(nb).mode & 0o777, 0o444);
    },
  );

  it(
    '--save refuses a notebook of another user that this user may not write, though the folder is open',
    { skip: !asRoot && 'needs root to switch user' },
    async () => {
      const nb = file('theirs.dlnb');
      chmodSync(nb, 0o644); // root's file, in a folder everyone may write
      const { code, stderr } = await dlnb(['run', nb, '--save'], dir, true);
      assert.equal(code, 2);
      assert.match(stderr, /theirs\.dlnb is read-only/);
      assert.equal(statSync(nb).uid, 0, "still root's file");
      assert.doesNotMatch(readFileSync(nb, 'utf8'), /"outputs"/);
    },
  );

  it("--save as root keeps the owner of another user's notebook", { skip: !asRoot && 'needs root' }, async () => {
    const nb = file('owned.dlnb');
    chownSync(nb, NOBODY, NOBODY);
    const { code, stderr } = await dlnb(['run', nb, '--save'], dir);
    assert.equal(code, 0, stderr);
    assert.equal(statSync(nb).uid, NOBODY);
  });

  it('--save keeps an edit made on disk while the cells ran, and saves the outputs beside it', async () => {
    const nb = file('edited.dlnb', notebook('await new Promise((r) => setTimeout(r, 2500));\nconsole.log("slow")'));
    const run = dlnb(['run', nb, '--save'], dir);
    await new Promise((r) => setTimeout(r, 1500));
    const edited = notebook('await new Promise((r) => setTimeout(r, 2500));\nconsole.log("slow")', '"a cell added meanwhile"');
    writeFileSync(nb, edited);
    const { code, stderr } = await run;
    assert.equal(code, 1);
    assert.equal(readFileSync(nb, 'utf8'), edited, 'the edit is kept');
    assert.match(
      stderr,
      /edited\.dlnb changed on disk while its cells ran, so it was left as it is; the outputs were saved to edited\.outputs\.dlnb/,
    );
    assert.match(readFileSync(path.join(dir, 'edited.outputs.dlnb'), 'utf8'), /slow/);
  });

  it('--save refuses a notebook that is not UTF-8, naming the byte, and leaves it as it was', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"dlnb":1,"cells":[{"kind":"code","source":"\'caf'),
      Buffer.from([0xe9]),
      Buffer.from('\'"}]}'),
    ]);
    const nb = path.join(dir, 'latin1.dlnb');
    writeFileSync(nb, bytes);
    const { code, stderr } = await dlnb(['run', nb, '--save'], dir);
    assert.equal(code, 2);
    assert.match(stderr, /latin1\.dlnb: the file is not valid UTF-8 at byte 48 \(0xe9\)/);
    assert.deepEqual(readFileSync(nb), bytes);
  });

  it('--charts naming a file is refused before any cell runs', async () => {
    const nb = file('charts.dlnb');
    const taken = file('taken.txt', 'not a folder');
    const { code, stdout, stderr } = await dlnb(['run', nb, '--charts', taken], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /--charts .*taken\.txt: it is a file, not a folder; no cell was run/);
  });

  it('--out into a missing folder is refused before any cell runs, naming the folder', async () => {
    const nb = file('out.dlnb');
    const { code, stdout, stderr } = await dlnb(['run', nb, '--out', path.join(dir, 'missing', 'x.dlnb')], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /cannot write .*missing\/x\.dlnb: the folder .*missing does not exist; no cell was run/);
    assert.doesNotMatch(stderr, /\.tmp/);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });
});
