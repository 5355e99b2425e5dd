import type { LabClient } from './lab';
import type { ConnectionStatus } from './wsClient';

/** Whether the app still reaches its server, for the banner; `reconnects` counts recoveries so views can reload. */
export class Connection {
  status = $state.raw<ConnectionStatus>({ state: 'connected' });
  reconnects = $state(0);

  constructor(client: LabClient) {
    client.onConnectionStatus((status) => {
      if (status.state === 'connected' && this.status.state !== 'connected') this.reconnects++;
      this.status = status;
    });
  }
}
