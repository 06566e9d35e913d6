// The headless CLI's progress line: rate from the first read-back, ETA as people read it, `it N` first.
import { describe, expect, it } from 'vitest';
import { formatDuration, iterationRate, progressPrefix } from '../../../src/cli/headless-progress';
import { lastLines } from '../../../src/cli/headless-child';

describe('headless progress line', () => {
  it('formats an ETA in seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(81)).toBe('1m21s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(3600)).toBe('1h00m');
    expect(formatDuration(2 * 3600 + 5 * 60 + 20)).toBe('2h05m');
    expect(formatDuration(-3)).toBe('0s');
  });

  it('has no rate at the first line, then iterations per second since it', () => {
    const first = { iteration: 100, seconds: 10 };
    expect(iterationRate(null, first)).toBeNull();
    expect(iterationRate(first, first)).toBeNull();
    expect(iterationRate(first, { iteration: 300, seconds: 30 })).toBe(10);
  });

  it('starts with `it N/TOTAL`, then the rate and the ETA to the last iteration', () => {
    expect(progressPrefix(100, 2000, null)).toBe('it 100/2000');
    expect(progressPrefix(1000, 2000, 12.34)).toBe('it 1000/2000  12.3 it/s  ETA 1m21s');
    expect(progressPrefix(10, 30, 0.5)).toBe('it 10/30  0.50 it/s  ETA 40s');
    expect(progressPrefix(2000, 2000, 250)).toBe('it 2000/2000  250 it/s  ETA 0s');
    expect(progressPrefix(100, 2000, 0)).toBe('it 100/2000');
    expect(progressPrefix(1000, 2000, 12.34)).toMatch(/^it \d+/);
  });

  it('is left out of the stderr tail of a failed run, as the old line was', () => {
    const tail = [
      'it 2/4  D 1.3712  G 0.6999  sigma 1.000',
      'it 4/4  1.50 it/s  ETA 0s  D 1.3712  G 0.6999  sigma 1.000',
      'it 6  D 1.3712  G 0.6999  sigma 1.000',
      'Error: boom',
    ].join('\n');
    expect(lastLines(tail)).toBe('Error: boom');
  });
});
