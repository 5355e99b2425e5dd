/**
 * How many of the GPU engine's steps go into one submission: enough that the JavaScript around
 * a submission is small beside the GPU's share, few enough that a stop or a progress event waits
 * about `targetMs` at most. And never more than two submissions on the GPU at once, so the queue
 * cannot run far ahead of it (on a software adapter one step can take seconds).
 */
export class SubmissionPacer {
  private msPerStep: number | null = null;
  private lastFinished = 0;
  private readonly inFlight: Promise<void>[] = [];

  constructor(
    private readonly targetMs = 20,
    private readonly maxSteps = 64,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Steps for the next submission: one until a submission has been timed, and never more than `remaining`. */
  size(remaining: number): number {
    const fits = this.msPerStep === null ? 1 : Math.floor(this.targetMs / Math.max(this.msPerStep, 1e-3));
    return Math.max(1, Math.min(remaining, this.maxSteps, fits));
  }

  /** Records a submission of `steps` that settles when the GPU is done, and waits while two earlier ones still run. */
  async submitted(steps: number, done: Promise<void>): Promise<void> {
    const submittedAt = this.now();
    this.inFlight.push(
      done.then(() => {
        const finished = this.now();
        // It started on the GPU when it was submitted or when the one before it finished, whichever was later.
        this.msPerStep = (finished - Math.max(submittedAt, this.lastFinished)) / steps;
        this.lastFinished = finished;
      }),
    );
    while (this.inFlight.length > 2) await this.inFlight.shift();
  }

  /** Waits for every submission so far. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
  }
}
