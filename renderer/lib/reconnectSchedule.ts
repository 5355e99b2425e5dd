/** Delays before each reconnect attempt: doubling from half a second, capped, and finite. */
export const reconnectDelaysMs = [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000];

/** The delay before attempt `attempt` (1-based), or null once every attempt is spent. */
export function reconnectDelay(attempt: number): number | null {
  return reconnectDelaysMs[attempt - 1] ?? null;
}
