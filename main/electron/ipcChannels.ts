/** The only two IPC channels: calls into the API and events out of it. */
export const callChannel = 'lab:call';
export const eventChannel = 'lab:event';
