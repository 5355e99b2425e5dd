import { maxEnsembleMembers } from '../../shared/apiTypes';
import { cliLabService } from './cliLabService';
import { parseCommandArgs, stringOption, UsageError, type OptionTable } from './cliArgs';

export const ensembleUsage = 'usage: npm run ensemble -- RUN RUN… [--name NAME] [--data-dir D] [--json]';

export const ensembleOptions: OptionTable = {
  name: { type: 'string', value: 'NAME', help: 'the ensemble\'s name (default: "Ensemble of" and the runs\' names)' },
  'data-dir': { type: 'string', value: 'D', help: 'where runs are stored (default: $XDG_DATA_HOME/mnist-lab)' },
  json: { type: 'boolean', help: 'print the new run as one JSON line' },
  help: { type: 'boolean', help: 'print this help' },
};

const percent = (accuracy: number | null) => (accuracy === null ? 'unknown' : `${(accuracy * 100).toFixed(2)} %`);

/** `ensemble`: makes a run that averages finished runs' models, and prints its test accuracy beside each member's. */
export async function ensembleCommand(args: string[]): Promise<number> {
  const { options, positionals: runIds } = parseCommandArgs(args, ensembleOptions, true);
  if (runIds.length < 2) throw new UsageError('name at least two runs by their ids (the history shows them)');
  if (runIds.length > maxEnsembleMembers) throw new UsageError(`an ensemble has at most ${maxEnsembleMembers} runs`);
  const service = cliLabService(stringOption(options, 'data-dir'));
  const run = await service.createEnsemble({ runIds, name: stringOption(options, 'name') ?? null });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return 0;
  }
  process.stdout.write(`Made ensemble ${run.name} as run ${run.id}: test accuracy ${percent(run.testAccuracy)}.\n`);
  for (const member of run.ensembleOf ?? []) process.stdout.write(`  ${member.name} (${member.runId}): ${percent(member.testAccuracy)}\n`);
  return 0;
}
