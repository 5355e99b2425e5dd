/** Steps per second while playing. */
const playRate = 12;

/**
 * Where a window (a kernel, a pooling window) stands over an output grid of rows × columns:
 * stepped in reading order, moved by the arrow keys, or played; every position up to the
 * current one counts as done, so a view can fill in the output as the window passes.
 */
export class WindowStepper {
  row = $state(0);
  column = $state(0);
  playing = $state(false);
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly rows: number,
    readonly columns: number,
  ) {}

  /** The position in reading order. */
  get position(): number {
    return this.row * this.columns + this.column;
  }

  /** Whether output (row, column) has been computed by now. */
  done(row: number, column: number): boolean {
    return row * this.columns + column <= this.position;
  }

  step(by: number): void {
    const last = this.rows * this.columns - 1;
    const to = Math.max(0, Math.min(last, this.position + by));
    this.row = Math.floor(to / this.columns);
    this.column = to % this.columns;
    if (to === last && by > 0) this.pause();
  }

  move(rows: number, columns: number): void {
    this.row = Math.max(0, Math.min(this.rows - 1, this.row + rows));
    this.column = Math.max(0, Math.min(this.columns - 1, this.column + columns));
  }

  /** Arrow keys move the window, Space plays or pauses; true when the key was one of them. */
  key(event: KeyboardEvent): boolean {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (move) this.move(...move);
    else if (event.key === ' ') this.toggle();
    else return false;
    return true;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.position === this.rows * this.columns - 1) this.step(-this.position);
    this.playing = true;
    this.timer ??= setInterval(() => this.step(1), 1000 / playRate);
  }

  pause(): void {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
