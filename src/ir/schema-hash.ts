import { createHash } from 'node:crypto';
import type { Schema } from './schema.js';

/** Identifies a schema's content, to tell whether the build-time compiled validator is current. */
export function schemaHash(schema: Schema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
}
