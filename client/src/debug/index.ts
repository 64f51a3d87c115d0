// Debugging a Go test with the race detector: through the Go extension's `go` debug type when it is installed,
// otherwise through this extension's own type, which starts dlv itself. Both get the same configuration from
// core/src/debug/launchConfig.ts.
import * as vscode from 'vscode';
import {
  buildsWithRace,
  GO_EXTENSION_DEBUG_TYPE,
  GO_EXTENSION_ID,
  OWN_DEBUG_TYPE,
  raceDebugConfiguration,
  type RaceDebugType,
} from '../../../core/src/debug/launchConfig';
import { DlvAdapterFactory, DlvConfigurationProvider } from './dlvAdapter';
import { settleArchitecture, workspaceTrusted } from './guards';
import { namedTest, testsInActiveEditor, type TestTarget } from '../testTarget';

export const DEBUG_TEST_WITH_RACE_COMMAND = 'goArchLens.debugTestWithRace';

/** goArchLens.debug.type: "auto" uses the Go extension when it is installed. */
export function chosenDebugType(): RaceDebugType {
  const setting = vscode.workspace.getConfiguration('goArchLens').get<string>('debug.type', 'auto');
  if (setting === OWN_DEBUG_TYPE) return OWN_DEBUG_TYPE;
  if (setting === GO_EXTENSION_DEBUG_TYPE) return GO_EXTENSION_DEBUG_TYPE;
  return vscode.extensions.getExtension(GO_EXTENSION_ID) ? GO_EXTENSION_DEBUG_TYPE : OWN_DEBUG_TYPE;
}

/** "Debug Test with -race" and "Debug Package Tests with -race" for the active test file, in Run and Debug. */
function dynamicConfigurations(type: RaceDebugType): vscode.DebugConfiguration[] {
  const target = testsInActiveEditor();
  if (!target) return [];
  const configs = [raceDebugConfiguration({ type, packageDir: target.packageDir })];
  if (target.test) configs.unshift(raceDebugConfiguration({ type, packageDir: target.packageDir, test: target.test }));
  return configs;
}

/** The Go extension runs `go` configurations itself; this only adds the architecture check to race sessions. */
const goTypeRaceCheck: vscode.DebugConfigurationProvider = {
  resolveDebugConfigurationWithSubstitutedVariables: (_folder, config) => (buildsWithRace(config) ? settleArchitecture(config) : config),
};

/**
 * Starts a race debug session for `testName` in `uri` (the CodeLens passes both), or for the test under the
 * cursor. Resolves to whether a session started.
 */
async function debugTestWithRace(uri?: vscode.Uri, testName?: string): Promise<boolean> {
  if (!workspaceTrusted()) return false;
  let target: TestTarget | undefined;
  if (uri && testName) {
    const named = await namedTest(uri, testName);
    if (typeof named === 'string') {
      void vscode.window.showErrorMessage(named);
      return false;
    }
    target = named;
  } else {
    target = testsInActiveEditor();
    if (!target?.test) {
      void vscode.window.showErrorMessage('Place the cursor inside a Test, Benchmark, Fuzz or Example function of a _test.go file to debug it with -race.');
      return false;
    }
  }
  const config = raceDebugConfiguration({ type: chosenDebugType(), packageDir: target.packageDir, test: target.test ?? undefined });
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.packageDir));
  return vscode.debug.startDebugging(folder, config);
}

export function registerDebugFeatures(context: vscode.ExtensionContext, log: vscode.OutputChannel): void {
  const factory = new DlvAdapterFactory(log);
  const { Dynamic } = vscode.DebugConfigurationProviderTriggerKind;
  context.subscriptions.push(
    factory,
    vscode.debug.registerDebugAdapterDescriptorFactory(OWN_DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(OWN_DEBUG_TYPE, new DlvConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(OWN_DEBUG_TYPE, { provideDebugConfigurations: () => dynamicConfigurations(OWN_DEBUG_TYPE) }, Dynamic),
    vscode.debug.registerDebugConfigurationProvider(GO_EXTENSION_DEBUG_TYPE, goTypeRaceCheck),
    vscode.debug.registerDebugConfigurationProvider(GO_EXTENSION_DEBUG_TYPE, {
      // Offered under "Go" only while the Go extension is there to run them.
      provideDebugConfigurations: () => (vscode.extensions.getExtension(GO_EXTENSION_ID) ? dynamicConfigurations(GO_EXTENSION_DEBUG_TYPE) : []),
    }, Dynamic),
    vscode.commands.registerCommand(DEBUG_TEST_WITH_RACE_COMMAND, debugTestWithRace),
  );
}
