// What the server and the VS Code client exchange about the build check (types and method names only, so the
// client bundle imports no server code).

/** Server → client: the verdict of each package checked (or being checked). */
export const BUILD_STATUS_NOTIFICATION = 'goArchLens/buildStatus';
/** Client → server: compile every package of these folders for every target. */
export const CHECK_ALL_REQUEST = 'goArchLens/checkAllTargets';

export interface TargetState {
  target: string;
  status: 'ok' | 'failed' | 'excluded' | 'error' | 'cancelled' | 'pending';
  errors: number;
  problem?: string;
  cgoSkipped: string[];
}

export interface PackageState {
  dir: string;
  importPath?: string;
  running: boolean;
  targets: TargetState[];
}

export interface BuildStatusParams {
  packages: PackageState[];
}

export interface CheckAllResult {
  packages: number;
  /** Per target: how many packages fail to build there. */
  failing: { target: string; packages: number }[];
  problems: string[];
  cancelled: boolean;
}
