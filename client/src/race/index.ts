// Race runs in the editor: commands, CodeLens, the Data Races view, Problems-panel diagnostics and race-log files.
import * as vscode from 'vscode';
import { realPlatformProbe } from '../../../core/src/race/preflight';
import type { RaceGroup } from '../../../core/src/race/types';
import { registerRaceCodeLens, RUN_TEST_COMMAND } from './codeLens';
import { registerRaceDiagnostics } from './diagnostics';
import { RACE_LOG_LANGUAGE, registerRaceLogs } from './logDocuments';
import { RaceResults } from './results';
import { RaceRunner, RUN_PACKAGE_COMMAND } from './runCommands';
import { registerRaceTree, type RaceNode } from './treeView';

export const CLEAR_COMMAND = 'goArchLens.race.clear';

/** What the integration tests read instead of clicking through the views. */
export interface RaceApi {
  /** Races since the last Clear, deduplicated, in order of first appearance. */
  groups(): RaceGroup[];
  /** The Data Races view's data, as the view shows it. */
  readonly tree: vscode.TreeDataProvider<RaceNode>;
}

export function registerRaceFeatures(context: vscode.ExtensionContext): RaceApi {
  const results = new RaceResults();
  // The channel speaks the race-log language, so reports in it are colored and their frames are links.
  const output = vscode.window.createOutputChannel('Go Arch Lens: Race', RACE_LOG_LANGUAGE);
  const runner = new RaceRunner(results, output, realPlatformProbe());
  const tree = registerRaceTree(results);
  context.subscriptions.push(
    results, output, tree.disposable,
    registerRaceDiagnostics(results),
    registerRaceCodeLens(),
    registerRaceLogs(results),
    vscode.commands.registerCommand(RUN_PACKAGE_COMMAND, (uri?: vscode.Uri) => runner.runPackage(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand(RUN_TEST_COMMAND, (uri?: vscode.Uri, testName?: string) =>
      runner.runTest(uri instanceof vscode.Uri ? uri : undefined, typeof testName === 'string' ? testName : undefined)),
    vscode.commands.registerCommand(CLEAR_COMMAND, () => results.clear()),
  );
  return { groups: () => results.groups(), tree: tree.provider };
}
