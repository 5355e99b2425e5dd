import type { SweepList } from '../../../shared/sweeps/sweepSummary';
import type { LabClient } from '../../api/lab';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';
import type { SweepColumn } from '../../lib/sweepTable';

/** The dashboard's sweeps: their queues as the server has them, and how each results table is sorted and filtered. */
export class SweepsState {
  list = $state.raw<SweepList | null>(null);
  /** Per sweep: the column its table is sorted by (best validation accuracy first, to start). */
  sorts = $state.raw<Record<string, { column: SweepColumn; descending: boolean }>>({});
  /** Per sweep, per setting: the text a row's value must contain. */
  filters = $state.raw<Record<string, Record<string, string>>>({});
  error = $state.raw<UserMessage | null>(null);

  constructor(private readonly client: LabClient) {}

  /** Loads the sweeps and follows their changes; returns the unsubscribe function. */
  start(): () => void {
    const off = this.client.on('sweeps:changed', (list) => (this.list = list));
    this.client.api.listSweeps().then(
      (list) => (this.list = list),
      (error: unknown) => (this.error = describeError(error)),
    );
    return off;
  }

  sortOf(sweepId: string): { column: SweepColumn; descending: boolean } {
    return this.sorts[sweepId] ?? { column: { kind: 'result', name: 'bestValAccuracy' }, descending: true };
  }

  /** Sorts by `column`; the same column again turns the order round. */
  sortBy(sweepId: string, column: SweepColumn): void {
    const current = this.sortOf(sweepId);
    const same = current.column.kind === column.kind && current.column.name === column.name;
    this.sorts = { ...this.sorts, [sweepId]: { column, descending: same ? !current.descending : column.kind === 'result' } };
  }

  filter(sweepId: string, setting: string, text: string): void {
    this.filters = { ...this.filters, [sweepId]: { ...this.filters[sweepId], [setting]: text } };
  }

  /** Moves a waiting run to another place in its sweep's queue (indices from 0). */
  async move(sweepId: string, move: { from: number; to: number }): Promise<void> {
    await this.client.api.moveSweepRun({ sweepId, ...move }).catch((error: unknown) => (this.error = describeError(error)));
  }

  async act(action: 'pauseSweep' | 'resumeSweep' | 'cutSweep', sweepId: string): Promise<void> {
    await this.client.api[action]({ sweepId }).catch((error: unknown) => (this.error = describeError(error)));
  }
}
