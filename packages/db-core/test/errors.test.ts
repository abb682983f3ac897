import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DatabaseError,
  InternalError,
  isDatabaseError,
  NotFoundError,
  redactSecrets,
  TooLargeError,
  UnavailableError,
  ValidationError,
} from '../src';

describe('errors', () => {
  it('carry the status, code and class name of their kind', () => {
    const kinds = [
      [new NotFoundError('m'), 404, 'not_found'],
      [new ConflictError('m'), 409, 'conflict'],
      [new ValidationError('m'), 400, 'invalid'],
      [new TooLargeError('m'), 413, 'too_large'],
      [new UnavailableError('m'), 503, 'unavailable'],
      [new InternalError('m'), 500, 'internal'],
    ] as const;
    for (const [error, status, code] of kinds) {
      expect(error).toBeInstanceOf(DatabaseError);
      expect({ status: error.status, code: error.code, name: error.name }).toEqual({
        status,
        code,
        name: error.constructor.name,
      });
    }
  });

  it('are recognised across copies of the package by their brand', () => {
    expect(isDatabaseError(new NotFoundError('m'))).toBe(true);
    expect(isDatabaseError(new Error('m'))).toBe(false);
    expect(isDatabaseError({ status: 404, code: 'not_found' })).toBe(false);
    expect(isDatabaseError(null)).toBe(false);
  });

  it('serialise without cause or stack, with the path of a validation error', () => {
    const error = new ValidationError('bad', {
      collection: 'c',
      id: 'i',
      path: '/a',
      cause: new Error('x'),
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'invalid',
      status: 400,
      message: 'bad',
      collection: 'c',
      id: 'i',
      path: '/a',
    });
  });

  it('never show credentials in messages', () => {
    const error = new UnavailableError(
      'cannot reach http://admin:s3cret@127.0.0.1:5984/db password=hunter2',
    );
    expect(error.message).not.toMatch(/s3cret|hunter2|admin:/);
    expect(error.message).toContain('http://***@127.0.0.1:5984/db');
    expect(redactSecrets('token: "abc123", apiKey=xyz')).toBe('token: "***", apiKey=***');
    expect(redactSecrets('https://user@host/path')).toBe('https://***@host/path');
    expect(redactSecrets('plain text 127.0.0.1:80')).toBe('plain text 127.0.0.1:80');
  });
});
