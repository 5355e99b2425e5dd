import { errorMessage } from '../../shared/errorMessage';

/**
 * One line on stderr per unexpected event, at most `perMinute` a minute: a fuzzing client must
 * not be able to fill the disk with the server's complaints about it.
 */
export function rateLimitedLog(perMinute = 30, write: (line: string) => void = (line) => process.stderr.write(line + '\n')) {
  let windowStart = 0;
  let written = 0;
  let suppressed = 0;
  return (context: string, error: unknown): void => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      if (suppressed > 0) write(`mnist-lab: ${suppressed} more messages suppressed in the last minute`);
      windowStart = now;
      written = 0;
      suppressed = 0;
    }
    if (written >= perMinute) {
      suppressed++;
      return;
    }
    written++;
    const message = errorMessage(error);
    write(`mnist-lab: ${context}: ${message.slice(0, 300)}`);
  };
}

export type ServerLog = ReturnType<typeof rateLimitedLog>;
