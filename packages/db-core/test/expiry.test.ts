import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../src';
import { readExpiresAt } from '../src/validation/expiry';
import { ScriptedService } from './support/scripted-service';

const limits = { maxDocumentBytes: 1024, maxNestingDepth: 5 };

describe('expiresAt', () => {
  it('reads ISO strings with a zone, Dates and epoch milliseconds as whole epoch ms', () => {
    const ms = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    expect(readExpiresAt('2030-01-02T03:04:05.678Z', {})).toBe(ms);
    expect(readExpiresAt('2030-01-02T05:04:05.678+02:00', {})).toBe(ms);
    expect(readExpiresAt(new Date(ms), {})).toBe(ms);
    expect(readExpiresAt(ms + 0.9, {})).toBe(ms);
    expect(readExpiresAt(0, {})).toBe(0);
    expect(readExpiresAt(undefined, {})).toBeUndefined();
  });

  it('refuses anything else with 400 naming the value', () => {
    for (const bad of [
      '2030-01-02',
      '2030-01-02T03:04:05',
      'soon',
      '',
      new Date('nope'),
      Number.NaN,
      -9e15,
      null,
      [],
    ]) {
      expect(() => readExpiresAt(bad, { collection: 'c', id: 'd' })).toThrow(
        expect.objectContaining({ status: 400, collection: 'c', id: 'd' }),
      );
    }
    expect(() => readExpiresAt('soon', {})).toThrow(/expiresAt must be .*"soon"/);
  });

  it('puts _expiresAt last in the stored body, and drops one the input carried', () => {
    const at = Date.UTC(2030, 0, 1);
    const prepared = prepareDocument({ a: 1, _expiresAt: 'old', _rev: 'x' }, limits, {}, at);
    expect(prepared.json).toBe('{"a":1,"_expiresAt":"2030-01-01T00:00:00.000Z"}');
    expect(prepared.expiresAt).toBe(at);
    expect(prepareDocument({}, limits, {}, at).json).toBe(
      '{"_expiresAt":"2030-01-01T00:00:00.000Z"}',
    );
    const never = prepareDocument({ a: 1, _expiresAt: 'old' }, limits);
    expect(never.json).toBe('{"a":1}');
    expect(never.expiresAt).toBeUndefined();
  });

  it('is refused with 400 by an adapter that does not declare capabilities.expiry', async () => {
    const service = new ScriptedService({ save: async () => 'rev-1' });
    await expect(
      service.save('things', 'a', {}, { expiresAt: Date.now() + 1000 }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/does not store expiring/),
    });
    await expect(service.save('things', 'a', {})).resolves.toEqual({ id: 'a', rev: 'rev-1' });
    // Nothing to purge on such an adapter, and no backend call to find that out.
    await expect(service.purgeExpired('things')).resolves.toBe(0);
  });

  it('refuses a clock that is not a function', () => {
    expect(() => new ScriptedService({}, { clock: 5 as never })).toThrow(
      /clock must be a function/,
    );
  });
});
