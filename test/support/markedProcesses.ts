// Finds the processes a test started, however they were reparented, by a marker variable in their environment: a
// process passes its environment on to what it starts (go to its compilers and test binaries, a test to its children).
import * as fs from 'fs';

/** Processes (other than `except`) whose environment holds `marker`, as `pid cmdline`; zombies are left out. */
export function markedProcesses(marker: string, except?: number): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === except) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Zombies hold no memory and run nothing; they wait for their parent to collect them.
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push(`${entry} ${fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ').slice(0, 120)}`);
    } catch {
      // Exited while we looked, or not ours to read.
    }
  }
  return found;
}

/** The marked processes still there after `ms`, or none as soon as they are gone. */
export async function markedAfter(marker: string, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = markedProcesses(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = markedProcesses(marker);
  }
  return left;
}

/** SIGKILL to each listed process, so that a failing test leaves nothing running for the next. */
export function killListed(processes: string[]): void {
  for (const entry of processes) {
    try {
      process.kill(Number(entry.split(' ')[0]), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
