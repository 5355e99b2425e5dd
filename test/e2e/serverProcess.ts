import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts browser mode (`dist/main/server.cjs`) on a free port with a data folder (a fresh one by default); resolves once it prints its URL. */
export async function startBrowserMode(
  dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-')),
): Promise<{ server: ChildProcess; url: string; dataDir: string }> {
  const server = spawn(process.execPath, ['dist/main/server.cjs', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /MNIST Lab at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the server exited with code ${code} before printing its URL`)));
    setTimeout(() => reject(new Error('the server printed no URL within 20 s')), 20_000);
  });
  return { server, url, dataDir };
}
