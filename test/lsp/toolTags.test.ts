// The toolchain's own build tags through the language server: the hover names them per target, and
// goArchLens.toolchainEnv (GOEXPERIMENT, GOAMD64…) changes which files build, as it does for the compiler.

import * as assert from 'assert';
import * as path from 'path';
import { compilerRejects } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { hoverText, labelOf, serverPerTest } from './lspClient';

const FILES = {
  'go.mod': 'module example.com/m\n\ngo 1.26\n',
  'green.go': '//go:build goexperiment.greenteagc\n\npackage m\n\ntype part struct{ a [2]int64 }\n',
  'classic.go': '//go:build !goexperiment.greenteagc\n\npackage m\n\ntype part struct{ a int8 }\n',
  'level.go': '//go:build amd64.v3\n\npackage m\n\ntype wide struct{ a [4]int32 }\n',
  'nolevel.go': '//go:build !amd64.v3\n\npackage m\n\ntype wide struct{ a int16 }\n',
  'm.go': 'package m\n\ntype Uses struct {\n\tp part\n\tw wide\n}\n',
};
const SOURCE = FILES['m.go'];

/** Hover text without markdown escapes, to match tag names such as amd64.v1. */
function plain(hover: Parameters<typeof hoverText>[0]): string {
  return hoverText(hover).replace(/\\(.)/g, '$1');
}

describe('toolchain build tags in the language server', function () {
  this.timeout(120_000);
  const go = realGoEnv();
  const startServer = serverPerTest();

  /** Asks the compiler for Uses' size on amd64 with the given toolchain settings. */
  function compilerSize(root: string, env: Record<string, string>, size: number): void {
    assert.strictEqual(compilerRejects(root, 'm', 'linux', 'amd64', [{ expr: 'unsafe.Sizeof(Uses{})', value: size }], [], env), undefined,
      `the compiler disagrees with ${size} B under ${JSON.stringify(env)}`);
  }

  it('names the tags in the hover and follows goArchLens.toolchainEnv', async () => {
    const root = writeModule(FILES);
    compilerSize(root, {}, 24);
    compilerSize(root, { GOEXPERIMENT: 'nogreenteagc', GOAMD64: 'v3' }, 20);
    const client = await startServer({
      settings: { targets: ['linux/amd64'] },
      initializationOptions: { ...go, trusted: true },
    });
    const uri = await client.open(path.join(root, 'm.go'), SOURCE);
    const sizeHint = async () => (await client.inlayHints(uri))?.map(labelOf).find((l) => l.endsWith(' B') && !l.includes('pad'));
    assert.strictEqual(await sizeHint(), '24 B');
    // In a trusted workspace the server asks go list (as long as go takes on a busy machine); the hover says where
    // the tags come from.
    let hover = await client.poll('the tags from go list in the hover', async () => plain(await client.hover(uri, 2, 6)), (text) => /from go list/.test(text));
    assert.match(hover, /toolchain tags amd64\.v1 (cgo )?goexperiment\.\{[^}]*greenteagc[^}]*\} \(from go list/, hover);

    await client.changeSettings({ targets: ['linux/amd64'], toolchainEnv: { GOEXPERIMENT: 'nogreenteagc', GOAMD64: 'v3' } });
    await client.poll('the size under the new toolchain settings', sizeHint, (label) => label === '20 B');
    hover = plain(await client.hover(uri, 2, 6));
    assert.match(hover, /amd64\.v3/);
    assert.doesNotMatch(hover, /greenteagc/);
  });

  it('uses the built-in table in an untrusted workspace and says so', async () => {
    const root = writeModule(FILES);
    const client = await startServer({ settings: { targets: ['linux/amd64'], toolchainEnv: { GOAMD64: 'v3' } }, initializationOptions: { trusted: false } });
    const uri = await client.open(path.join(root, 'm.go'), SOURCE);
    const hover = plain(await client.hover(uri, 2, 6));
    assert.match(hover, /toolchain tags amd64\.v1 amd64\.v2 amd64\.v3 goexperiment\.\{[^}]*\} \(from the go1\.26 table\)/, hover);
    compilerSize(root, { GOAMD64: 'v3' }, 32);
    assert.match(hover, /\| linux\/amd64 \| 32 B \|/, hover);
  });
});
