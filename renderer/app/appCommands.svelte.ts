import { createContext } from 'svelte';
import type { AppCommand } from '../../shared/apiTypes';

/** The view each menu command shows. */
export const commandViews: Record<AppCommand, string | null> = {
  'open-dataset': 'dataset',
  'open-design': 'designer',
  'save-design': 'designer',
  'import-model': 'training',
  'export-model': 'training',
  'show-backend': null,
};

/** The desktop menu's last command, until the part of the app that carries it out takes it. */
export class AppCommands {
  pending = $state<AppCommand | null>(null);

  /** True, once, when `command` is the pending one. */
  take(command: AppCommand): boolean {
    if (this.pending !== command) return false;
    this.pending = null;
    return true;
  }
}

export const [getAppCommands, setAppCommands] = createContext<AppCommands>();
