import { describe, expect, it } from 'vitest';
import { batchProgressLine, formatEta, progressBar } from '../../main/cli/batchProgress';
import type { EpochMetrics } from '../../shared/apiTypes';
import { accuracySeries, batchX, epochsCsv, formatDuration, markers, runProgress, smooth } from '../../renderer/lib/trainingCurves';
import { frameWorkFromTrace } from '../../main/cli/frameWork';
import { runStatusText, stoppedByText } from '../../renderer/features/training/runStatus';
import { translate } from '../../renderer/lib/i18n/messages';
import type { UserMessage } from '../../renderer/lib/i18n/userMessage';

const epoch = (n: number, valLoss: number, checkpointed: boolean): EpochMetrics => ({
  epoch: n,
  loss: 0.3,
  accuracy: 0.9,
  valLoss,
  valAccuracy: 0.95,
  seconds: 2,
  imagesPerSecond: 1000,
  isBest: checkpointed,
  checkpointed,
});

describe('the CLI progress bar', () => {
  it('draws like Keras: count, bar, ETA, running loss and accuracy', () => {
    expect(progressBar(0, 10)).toBe(`[${'.'.repeat(30)}]`);
    expect(progressBar(5, 10)).toBe(`[${'='.repeat(14)}>${'.'.repeat(15)}]`);
    expect(progressBar(10, 10)).toBe(`[${'='.repeat(30)}]`);
    expect([9, 65, 3723].map(formatEta)).toEqual(['9s', '1:05', '1:02:03']);
    const line = batchProgressLine({ runId: 'r', epoch: 1, batch: 60, batchesPerEpoch: 300, loss: 0.25, accuracy: 0.93, imagesPerSecond: 4000 }, 200);
    expect(line).toBe(` 60/300 [=====>........................] - ETA: 12s - loss: 0.2500 - accuracy: 0.9300`);
  });
});

describe("the dashboard's curves", () => {
  it('places batches on the epoch axis and smooths them', () => {
    expect(batchX({ epoch: 3, batch: 150, batchesPerEpoch: 300, loss: 1, accuracy: 0 })).toBe(2.5);
    expect(
      smooth([
        { x: 0, y: 1 },
        { x: 1, y: 0 },
      ]).map((p) => p.y),
    ).toEqual([1, 0.6]);
  });

  it("plots training error against validation loss, as the seed's plot does", () => {
    const curves = { batches: [], epochs: [epoch(1, 0.2, true)] };
    const series = accuracySeries(curves, true);
    expect(series.epochs[0]!.y).toBeCloseTo(0.1);
    expect(series.validation).toEqual([{ x: 1, y: 0.2 }]);
  });

  it('marks the checkpointed epoch and where early stopping ended', () => {
    const curves = { batches: [], epochs: [epoch(1, 0.3, true), epoch(2, 0.2, true), epoch(3, 0.25, false)] };
    expect(markers(curves, 'early-stopping', (e) => e.valLoss)).toEqual({ best: [{ x: 2, y: 0.2 }], stopped: [{ x: 3, y: 0.25 }] });
    expect(markers(curves, 'epochs', (e) => e.valLoss).stopped).toEqual([]);
  });

  it('estimates the time left from the pace so far', () => {
    const progress = runProgress({ epoch: 2, batch: 50, batchesPerEpoch: 100, loss: 1, accuracy: 0 }, 4, 30);
    expect(progress).toEqual({ epochFraction: 0.5, runFraction: 0.375, etaSeconds: 50 });
    expect([42, 185, 3720].map((s) => formatDuration(s))).toEqual(['42 s', '3 min 05 s', '1 h 02 min']);
    expect([42, 185, 3720].map((s) => formatDuration(s, 'ko'))).toEqual(['42초', '3분 05초', '1시간 02분']);
  });

  it('exports a run as CSV with a header row', () => {
    expect(epochsCsv([epoch(1, 0.2, true)]).split('\n')).toEqual([
      'epoch,loss,accuracy,val_loss,val_accuracy,seconds,images_per_second,checkpointed',
      '1,0.3,0.9,0.2,0.95,2,1000,true',
      '',
    ]);
  });

  it('names every status the history shows', () => {
    const say = (language: 'en' | 'ko', message: UserMessage) => translate(language, message.key, message.params);
    expect(say('en', runStatusText({ status: 'completed', stoppedBy: 'early-stopping' }))).toBe('early-stopped');
    expect(say('en', runStatusText({ status: 'completed', stoppedBy: 'epochs' }))).toBe('finished');
    expect(say('en', runStatusText({ status: 'damaged', stoppedBy: null }))).toBe('damaged');
    expect(say('en', stoppedByText({ status: 'stopped', stoppedBy: 'user', error: null }))).toBe('you stopped it');
    expect(say('ko', stoppedByText({ status: 'stopped', stoppedBy: 'user', error: null }))).toBe('직접 멈췄습니다');
  });
});

describe("the bench's frame cost", () => {
  // Two renderers: a background page (no frames) and the page under test, whose frames each end
  // with a rendering task; the WebSocket task between them belongs to the second frame.
  const task = (tid: number, ts: number, dur: number) => ({ name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 1, tid, ts, dur });
  const frame = (ts: number) => ({ name: 'BeginMainThreadFrame', ph: 'I', pid: 1, tid: 2, ts });
  const trace = [
    task(1, 0, 90_000),
    task(2, 0, 2_000),
    frame(500),
    task(2, 5_000, 12_000),
    task(2, 17_000, 3_000),
    frame(17_100),
    task(2, 34_000, 60_000),
    frame(34_100),
  ];

  it("sums each frame's main-thread work on the page's own renderer, and counts long tasks", () => {
    const work = frameWorkFromTrace(trace);
    expect(work.frames).toBe(2);
    expect(work.medianMs).toBe(60);
    expect(work.p95Ms).toBe(60);
    expect(work.longTasks).toBe(1);
    expect(work.longestTaskMs).toBe(60);
    expect(frameWorkFromTrace(trace.slice(0, 6))).toMatchObject({ frames: 1, p95Ms: 15, longTasks: 0 });
  });

  it('says so when the trace holds no frames', () => {
    expect(() => frameWorkFromTrace([task(1, 0, 10)])).toThrow('no animation frames');
  });
});
