import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../../shared/apiError';
import { errorMessage } from '../../shared/errorMessage';

/** Where the server and CLI keep datasets and runs unless --data-dir says otherwise (XDG on Linux). */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'MNIST Lab');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'MNIST Lab');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'mnist-lab');
}

/**
 * Makes the data folder if it is missing, or says in words why it cannot be used: a raw
 * ENOTDIR from deep inside the first write tells a user nothing.
 */
export function prepareDataDir(dataDir: string): void {
  const path = resolve(dataDir);
  const existing = statOrNull(path);
  if (existing && !existing.isDirectory())
    throw new ApiError('invalid-request', `the data folder ${path} is a file, not a folder: name a folder (it is made if missing)`);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const parentFile = code === 'ENOTDIR' || code === 'EEXIST' ? firstFileAbove(path) : null;
    if (parentFile) throw new ApiError('invalid-request', `cannot make the data folder ${path}: ${parentFile} is a file, not a folder`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new ApiError('invalid-request', `cannot write to the data folder ${path}: permission denied`);
    throw new ApiError('invalid-request', `cannot use the data folder ${path}: ${errorMessage(error)}`);
  }
}

function firstFileAbove(path: string): string | null {
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
    if (statOrNull(folder)?.isFile()) return folder;
  }
  return null;
}

/** The path's stat, or null where there is nothing (or a file stands where a folder should). */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}
