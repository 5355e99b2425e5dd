import type { SystemInfo } from '../../shared/apiTypes';
import { lab } from './lab';

/** The machine and backend facts shown in the status badge; loaded once. */
class SystemStatus {
  info = $state.raw<SystemInfo | null>(null);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.info = await lab.getSystemInfo();
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

export const systemStatus = new SystemStatus();
