import * as assert from 'assert';
import * as vscode from 'vscode';
import type { GoArchLensApi } from '../../client/src/extension';
import { EXTENSION_ID, openShapes, waitFor } from './fixture';

describe('activation', () => {
  it('waits for a Go file, then activates and starts the language server', async () => {
    const extension = vscode.extensions.getExtension<GoArchLensApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this editor`);
    const expectedPath = process.env.GAL_EXPECTED_EXTENSION_PATH;
    assert.ok(expectedPath, 'the launcher did not say where the extension under test lives (GAL_EXPECTED_EXTENSION_PATH)');
    assert.strictEqual(extension.extensionPath, expectedPath, 'the extension was loaded from somewhere else');
    assert.strictEqual(extension.isActive, false, 'active before any Go file was opened (activation should be lazy)');
    await openShapes();
    await waitFor('the extension to activate', () => (extension.isActive ? true : undefined));
    await waitFor('the language client to run', () => (extension.exports?.client?.isRunning() ? true : undefined));
  });
});
