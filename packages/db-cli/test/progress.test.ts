import { describe, expect, it } from 'vitest';
import { PlainProgress } from '../src/progress/plain-progress';
import { TtyProgress } from '../src/progress/tty-progress';
import { captureStream } from './support/capture';

describe('progress', () => {
  it('a terminal gets one bar per collection with count, rate and ETA, redrawn in place', () => {
    const { out, text } = captureStream(true);
    const progress = new TtyProgress(out);
    progress.begin('agents', 1000);
    progress.begin('users');
    progress.update('agents', 500);
    progress.end('agents');
    progress.update('users', 42);
    progress.note('hello');
    progress.close();
    const output = text();
    expect(output).toMatch(/agents\s+\[-{24}\] 0\/1,000 {2}0\/s {2}ETA \?/);
    expect(output).toMatch(/agents\s+\[#{12}-{12}\] 500\/1,000 {2}[\d,]+\/s {2}done in \ds/);
    expect(output).toMatch(/users\s+42 documents {2}[\d,]+\/s/);
    expect(output).toContain('\x1b[2A\x1b[0J');
    expect(output).toContain('hello\n');
  });

  it('a pipe gets plain lines now and then, and one per finished collection', () => {
    const { out, text } = captureStream(true);
    const progress = new PlainProgress(out, 0);
    progress.begin('tickets', 10);
    progress.update('tickets', 5);
    progress.end('tickets');
    const lines = text().trimEnd().split('\n');
    expect(lines[0]).toBe('tickets: started (10 documents)');
    expect(lines[1]).toMatch(/^tickets: 5\/10 documents, [\d,]+\/s(, ETA \d+s)?$/);
    expect(lines[2]).toMatch(/^tickets: 5 documents in \ds$/);
    expect(text()).not.toContain('\x1b');
  });
});
