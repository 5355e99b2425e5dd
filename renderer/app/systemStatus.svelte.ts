import type { LabApi } from '../../shared/api';
import type { SystemInfo } from '../../shared/apiTypes';
import { describeError, type UserMessage } from '../lib/i18n/userMessage';

/** The machine and backend facts shown in the status badge. */
export class SystemStatus {
  info = $state.raw<SystemInfo | null>(null);
  error = $state.raw<UserMessage | null>(null);

  constructor(private readonly api: LabApi) {}

  async load(): Promise<void> {
    try {
      this.info = await this.api.getSystemInfo();
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
