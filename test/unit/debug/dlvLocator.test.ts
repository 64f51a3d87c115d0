// Finding dlv in real folders: the setting, PATH, the first GOPATH entry's bin and GOBIN, in that order, and the
// message with the install command when none has it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DLV_INSTALL_COMMAND, locateDlv, readGoInstallDirs } from '../../../core/src/debug/dlvLocator';

describe('locating dlv', () => {
  let root: string;
  function fakeDlv(folder: string, executable = true): string {
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'dlv');
    fs.writeFileSync(file, '#!/bin/sh\n');
    fs.chmodSync(file, executable ? 0o755 : 0o644);
    return file;
  }
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-dlv-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('search order: PATH, then the first GOPATH entry\'s bin, then GOBIN', () => {
    const onPath = path.join(root, 'path-bin');
    const gopath1 = path.join(root, 'gp1');
    const gopath2 = path.join(root, 'gp2');
    const gobin = path.join(root, 'gobin');
    const goDirs = { gopath: `${gopath1}:${gopath2}`, gobin };
    const env = { PATH: `${path.join(root, 'empty')}:${onPath}` };
    fakeDlv(gobin);
    assert.deepStrictEqual(locateDlv({ env, goDirs, platform: 'linux' }), { found: true, path: path.join(gobin, 'dlv'), source: 'GOBIN' });
    fakeDlv(path.join(gopath2, 'bin'));
    assert.deepStrictEqual(locateDlv({ env, goDirs, platform: 'linux' }), { found: true, path: path.join(gobin, 'dlv'), source: 'GOBIN' }, 'only the first GOPATH entry counts');
    fakeDlv(path.join(gopath1, 'bin'));
    assert.deepStrictEqual(locateDlv({ env, goDirs, platform: 'linux' }), { found: true, path: path.join(gopath1, 'bin', 'dlv'), source: 'GOPATH' });
    fakeDlv(onPath);
    assert.deepStrictEqual(locateDlv({ env, goDirs, platform: 'linux' }), { found: true, path: path.join(onPath, 'dlv'), source: 'PATH' });
  });

  it('a non-executable file named dlv does not count', () => {
    fakeDlv(path.join(root, 'bin'), false);
    assert.strictEqual(locateDlv({ env: { PATH: path.join(root, 'bin') }, goDirs: {}, platform: 'linux' }).found, false);
  });

  it('the setting wins, and a setting pointing nowhere is reported rather than replaced by another dlv', () => {
    const configured = fakeDlv(path.join(root, 'custom'));
    const onPath = fakeDlv(path.join(root, 'path-bin'));
    const env = { PATH: path.dirname(onPath) };
    assert.deepStrictEqual(locateDlv({ configuredPath: configured, env, goDirs: {} }), { found: true, path: configured, source: 'setting' });
    const wrong = locateDlv({ configuredPath: path.join(root, 'nope', 'dlv'), env, goDirs: {} });
    assert.strictEqual(wrong.found, false);
    if (!wrong.found) {
      assert.match(wrong.message, /goArchLens\.dlvPath is ".*nope\/dlv", which is not an executable file/);
      assert.strictEqual(wrong.installCommand, DLV_INSTALL_COMMAND);
    }
  });

  it('missing everywhere: a message naming the places searched and the install command', () => {
    fs.mkdirSync(path.join(root, 'empty'));
    const missing = locateDlv({ env: { PATH: path.join(root, 'empty') }, goDirs: { gopath: path.join(root, 'gp') }, platform: 'linux' });
    assert.deepStrictEqual(missing, {
      found: false,
      message: 'Delve (dlv) was not found on PATH, in GOPATH/bin or in GOBIN, and debugging needs it. ' +
        'Install it with: go install github.com/go-delve/delve/cmd/dlv@latest (or set goArchLens.dlvPath to its location).',
      installCommand: 'go install github.com/go-delve/delve/cmd/dlv@latest',
    });
  });

  it('reads GOPATH and GOBIN from the real go, and falls back to the environment without a go', async function () {
    const gopath = path.join(root, 'my-gopath');
    const gobin = path.join(root, 'my-gobin');
    const fromGo = await readGoInstallDirs({ ...process.env, GOPATH: gopath, GOBIN: gobin });
    assert.deepStrictEqual(fromGo, { gopath, gobin });
    const withoutGo = await readGoInstallDirs({ HOME: root, PATH: path.join(root, 'empty'), GOPATH: gopath });
    assert.deepStrictEqual(withoutGo, { gopath, gobin: undefined });
  });
});
