import { benchCommand } from './benchCommand';
import { UsageError } from './cliArgs';
import { trainCommand, trainUsage } from './trainCommand';

// Headless MNIST Lab: `npm run train -- …`, `npm run bench`.

const commands: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  train: { run: trainCommand, usage: trainUsage },
  bench: { run: benchCommand, usage: 'usage: npm run bench -- [--backend wasm …] [--skip-browser]' },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`usage: mnist-lab <${Object.keys(commands).join('|')}> [options]\n`);
  process.exit(2);
}
command.run(args).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${command.usage}\n`);
      process.exit(2);
    }
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
