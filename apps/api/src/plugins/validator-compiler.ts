import { isDocumentId } from '@gofannon/db-core';
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const shared: Options = {
  allErrors: false,
  useDefaults: true,
  removeAdditional: false,
  strict: false,
};

/**
 * Bodies are checked as sent: a number where a string belongs is a 400, not quietly turned
 * into text. Query strings, params and headers are text on the wire, so there `limit=10`
 * becomes the number 10.
 */
export function useStrictBodyValidation(app: FastifyInstance): void {
  const bodies = withFormats(new Ajv({ ...shared, coerceTypes: false }));
  const rest = withFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodies : rest).compile(schema),
  );
}

function withFormats(ajv: Ajv): Ajv {
  (addFormats as unknown as (ajv: Ajv) => Ajv)(ajv);
  // The storage contract's id rules (UTF-8 bytes, not characters; no NUL): a stored
  // reference to another document must be one that document's id could be.
  ajv.addFormat('document-id', { type: 'string', validate: isDocumentId });
  return ajv;
}
