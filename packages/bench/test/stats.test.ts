import { describe, expect, it } from 'vitest';
import { pairedThroughputRatio } from '../src/runner/stats';

describe('pairedThroughputRatio', () => {
  it('is baseline time over adapter time for pairs of the same calls', () => {
    expect(pairedThroughputRatio([{ adapterMs: 10, baselineMs: 8 }])).toBeCloseTo(0.8);
    expect(pairedThroughputRatio([{ adapterMs: 5, baselineMs: 10 }])).toBeCloseTo(2);
  });

  it('is not moved by a few slices that lost time, on either side', () => {
    const steady = Array.from({ length: 12 }, () => ({ adapterMs: 10, baselineMs: 8 }));
    const paused = [
      { adapterMs: 60, baselineMs: 8 }, // a full GC in an adapter slice
      { adapterMs: 10, baselineMs: 70 }, // a neighbour process in a baseline slice
      { adapterMs: 45, baselineMs: 8 },
    ];
    expect(pairedThroughputRatio([...steady, ...paused])).toBeCloseTo(0.8);
  });

  it('is 0 without pairs', () => {
    expect(pairedThroughputRatio([])).toBe(0);
  });
});
