import type { Design } from '../../../shared/designs/designFile';

/**
 * Undo and redo over whole designs (they are small and never mutated). Edits that share a merge
 * key within a second (typing in one field) make one step, as a text editor merges typing.
 */
export class DesignHistory {
  private past: Design[] = [];
  private future: Design[] = [];
  private lastKey: string | null = null;
  private lastTime = 0;

  /** Records `before` as the state to undo to; returns nothing to keep. */
  record(before: Design, mergeKey: string | null, now = Date.now()): void {
    const merge = mergeKey !== null && mergeKey === this.lastKey && now - this.lastTime < 1000;
    if (!merge) this.past.push(before);
    if (this.past.length > 200) this.past.shift();
    this.future = [];
    this.lastKey = mergeKey;
    this.lastTime = now;
  }

  undo(current: Design): Design | null {
    const previous = this.past.pop();
    if (!previous) return null;
    this.future.push(current);
    this.lastKey = null;
    return previous;
  }

  redo(current: Design): Design | null {
    const next = this.future.pop();
    if (!next) return null;
    this.past.push(current);
    this.lastKey = null;
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
