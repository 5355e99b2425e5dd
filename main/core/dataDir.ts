import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the server and CLI keep datasets and runs unless --data-dir says otherwise (XDG on Linux). */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'MNIST Lab');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'MNIST Lab');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'mnist-lab');
}
