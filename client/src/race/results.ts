// Races found so far, from every run and log since the last Clear, deduplicated by the pair of top frames. The tree
// view and the Problems panel both redraw from here.
import * as vscode from 'vscode';
import { RaceDeduplicator, type UnlistedRaces } from '../../../core/src/race/dedup';
import type { RaceGroup, RaceReport } from '../../../core/src/race/types';

/** Reports can arrive by the thousand from a log; views redraw at most this often while they stream in. */
const REDRAW_DELAY_MS = 150;

export class RaceResults implements vscode.Disposable {
  private dedup = new RaceDeduplicator();
  private readonly changed = new vscode.EventEmitter<void>();
  private pending: NodeJS.Timeout | undefined;
  readonly onDidChange = this.changed.event;

  add(report: RaceReport): void {
    this.dedup.add(report);
    this.pending ??= setTimeout(() => this.flush(), REDRAW_DELAY_MS);
  }

  /** Redraws now; called when a run or log ends so that views are current when the command returns. */
  flush(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.changed.fire();
  }

  groups(): RaceGroup[] {
    return this.dedup.list();
  }

  /** Reports of races past the deduplicator's limits, counted but not kept; null when every race is listed. */
  unlisted(): UnlistedRaces | null {
    return this.dedup.unlisted();
  }

  clear(): void {
    this.dedup = new RaceDeduplicator();
    this.flush();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.changed.dispose();
  }
}
