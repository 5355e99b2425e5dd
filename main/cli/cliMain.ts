import { benchCommand, benchOptions } from './benchCommand';
import { helpText, UsageError, type OptionTable } from './cliArgs';
import { ApiError } from '../../shared/apiError';
import { ensembleCommand, ensembleOptions, ensembleUsage } from './ensembleCommand';
import { exportCommand, exportOptions, exportUsage } from './exportCommand';
import { importCommand, importOptions, importUsage } from './importCommand';
import { predictCommand, predictOptions, predictUsage } from './predictCommand';
import { sweepCommand, sweepOptions, sweepUsage } from './sweepCommand';
import { trainCommand } from './trainCommand';
import { trainOptions, trainUsage } from './trainOptions';

// Headless MNIST Lab: `npm run train -- …`, `npm run predict -- …`, `npm run export -- …`, `npm run import -- …`, `npm run ensemble -- …`, `npm run sweep -- …`, `npm run bench`.

const commands: Record<string, { run: (args: string[]) => Promise<number>; usage: string; options: OptionTable }> = {
  train: { run: trainCommand, usage: trainUsage, options: trainOptions },
  predict: { run: predictCommand, usage: predictUsage, options: predictOptions },
  export: { run: exportCommand, usage: exportUsage, options: exportOptions },
  import: { run: importCommand, usage: importUsage, options: importOptions },
  ensemble: { run: ensembleCommand, usage: ensembleUsage, options: ensembleOptions },
  sweep: { run: sweepCommand, usage: sweepUsage, options: sweepOptions },
  bench: { run: benchCommand, usage: 'usage: npm run bench -- [--backend wasm …] [--skip-browser] [--skip-training]', options: benchOptions },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`usage: mnist-lab <${Object.keys(commands).join('|')}> [options]\n`);
  process.exit(2);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(helpText(command.usage, command.options) + '\n');
  process.exit(0);
}
command.run(args).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${command.usage}\n`);
      process.exit(2);
    }
    // The API's own refusals (a damaged model file, an unknown run) say what is wrong; a stack would bury it.
    process.stderr.write(`${error instanceof ApiError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    process.exit(1);
  },
);
