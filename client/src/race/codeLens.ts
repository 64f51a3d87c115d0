// "run -race" and "debug -race" above every test, benchmark, fuzz target and example of a _test.go file.
import * as vscode from 'vscode';
import { findTestFunctions } from '../../../core/src/gotest/testFunctions';
import { DEBUG_TEST_WITH_RACE_COMMAND } from '../debug';
import { readRaceSettings } from './settings';

export const RUN_TEST_COMMAND = 'goArchLens.race.runTest';

class RaceCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  settingsChanged(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readRaceSettings(document.uri).codeLens) return [];
    return findTestFunctions(document.getText()).flatMap((fn) => {
      const range = new vscode.Range(fn.line, fn.nameStart, fn.line, fn.nameEnd);
      const args = [document.uri, fn.name];
      return [
        new vscode.CodeLens(range, { title: 'run -race', command: RUN_TEST_COMMAND, arguments: args, tooltip: `go test -race, only ${fn.name}` }),
        new vscode.CodeLens(range, { title: 'debug -race', command: DEBUG_TEST_WITH_RACE_COMMAND, arguments: args, tooltip: `Debug ${fn.name} built with -race` }),
      ];
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerRaceCodeLens(): vscode.Disposable {
  const provider = new RaceCodeLensProvider();
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider({ language: 'go', scheme: 'file', pattern: '**/*_test.go' }, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('goArchLens.race.codeLens')) provider.settingsChanged();
    }),
  );
}
