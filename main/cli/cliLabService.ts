import { join } from 'node:path';
import type { EventSink } from '../../shared/api';
import { appVersion } from '../core/appVersion';
import { defaultDataDir } from '../core/dataDir';
import { createLabService, type LabService } from '../core/labService';
import { forkWorkerLauncher, type WorkerLauncher } from '../core/workerHost';

/** Forks the training worker the build puts beside the CLI. */
export const cliWorkerLauncher = (): WorkerLauncher => forkWorkerLauncher(join(__dirname, 'trainingWorker.cjs'));

/** The lab service as a CLI command uses it: runs in `dataDir` (default: the app's data folder), events to `emit` (default: nobody). */
export function cliLabService(dataDir: string | undefined, emit: EventSink = () => undefined, launchWorker = cliWorkerLauncher()): LabService {
  return createLabService({ dataDir: dataDir ?? defaultDataDir(), shell: 'cli', appVersion, launchWorker, emit });
}
