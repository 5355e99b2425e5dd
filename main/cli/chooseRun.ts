import type { RunSummary } from '../../shared/apiTypes';
import { defaultRun } from '../../shared/runs/defaultRun';
import type { LabService } from '../core/labService';
import { UsageError } from './cliArgs';

/**
 * The run `--run` names (an id, or latest: see defaultRun, among the runs `ready` takes), among
 * those with a checkpoint; a UsageError saying why when there is none.
 */
export async function chooseRunWithCheckpoint(service: LabService, wanted: string, ready: (run: RunSummary) => boolean = () => true): Promise<RunSummary> {
  const runs = await service.listRuns();
  const run = wanted === 'latest' ? defaultRun(runs, ready) : runs.find((r) => r.id === wanted && r.hasCheckpoint);
  if (!run)
    throw new UsageError(
      wanted === 'latest' ? 'there is no trained run yet: train one with `npm run train -- --preset seed-cnn`' : `no run ${wanted} with a checkpoint`,
    );
  return run;
}
