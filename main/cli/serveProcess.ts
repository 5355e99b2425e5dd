import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Browser mode as `npm run serve` runs it, started as its own process (the CLI never imports the
 * server): resolves with the URL it prints and a function that stops it.
 */
export function startServeProcess(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(__dirname, 'server.cjs'), '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /MNIST Lab at (\S+)/.exec(output)?.[1];
      if (url) resolve({ url, stop: () => child.kill() });
    });
    child.once('exit', (code) => reject(new Error(`browser mode exited with code ${code} before printing its URL`)));
  });
}
