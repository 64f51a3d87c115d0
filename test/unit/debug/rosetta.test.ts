// The architecture decision for race debug sessions on simulated hosts: Delve refuses Rosetta, so amd64 on an
// Apple Silicon Mac (asked by the race mode setting or by GOARCH in env) offers a native session instead.
import * as assert from 'assert';
import { decideDebugArch } from '../../../core/src/debug/rosetta';

const appleSilicon = { platform: 'darwin', arch: 'arm64' };
const linuxAmd64 = { platform: 'linux', arch: 'x64' };

describe('race debug architecture decision', () => {
  it('race mode "rosetta" on darwin/arm64: explains Delve refuses Rosetta and offers a native run', () => {
    const decision = decideDebugArch(appleSilicon, 'rosetta', { GORACE: 'halt_on_error=1' });
    assert.strictEqual(decision.kind, 'offerNative');
    if (decision.kind !== 'offerNative') return;
    assert.match(decision.message, /Delve cannot debug under Rosetta/);
    assert.match(decision.message, /native arm64/);
    assert.deepStrictEqual(decision.nativeEnv, { GORACE: 'halt_on_error=1' });
  });

  it('env GOARCH=amd64 on darwin/arm64 (any race mode): the native offer drops GOARCH and keeps the rest', () => {
    const decision = decideDebugArch(appleSilicon, 'ask', { GOARCH: 'amd64', CGO_ENABLED: '1' });
    assert.strictEqual(decision.kind, 'offerNative');
    if (decision.kind === 'offerNative') assert.deepStrictEqual(decision.nativeEnv, { CGO_ENABLED: '1' });
  });

  it('VS Code itself under Rosetta (Node reports x64) on Apple Silicon: amd64 is still refused', () => {
    const translated = { platform: 'darwin', arch: 'x64', appleSilicon: true };
    const decision = decideDebugArch(translated, 'ask', { GOARCH: 'amd64' });
    assert.strictEqual(decision.kind, 'offerNative');
    if (decision.kind === 'offerNative') assert.match(decision.message, /Rosetta/);
    assert.deepStrictEqual(decideDebugArch({ platform: 'darwin', arch: 'x64', appleSilicon: false }, 'ask', { GOARCH: 'amd64' }), { kind: 'native' });
  });

  it('native modes on darwin/arm64 debug natively', () => {
    assert.deepStrictEqual(decideDebugArch(appleSilicon, 'ask', {}), { kind: 'native' });
    assert.deepStrictEqual(decideDebugArch(appleSilicon, 'native', {}), { kind: 'native' });
    assert.deepStrictEqual(decideDebugArch(appleSilicon, 'rosetta', { GOARCH: 'arm64' }), { kind: 'native' });
  });

  it('"rosetta" means nothing off macOS; a foreign GOARCH there gets a plain explanation', () => {
    assert.deepStrictEqual(decideDebugArch(linuxAmd64, 'rosetta', {}), { kind: 'native' });
    assert.deepStrictEqual(decideDebugArch(linuxAmd64, 'ask', { GOARCH: 'amd64' }), { kind: 'native' });
    const foreign = decideDebugArch(linuxAmd64, 'ask', { GOARCH: 'arm64' });
    assert.strictEqual(foreign.kind, 'offerNative');
    if (foreign.kind === 'offerNative') {
      assert.match(foreign.message, /only programs built for this machine \(linux\/amd64\), not GOARCH=arm64/);
      assert.doesNotMatch(foreign.message, /Rosetta/);
    }
  });
});
