import type { SwaggerOptions } from '@fastify/swagger';
import { EXTENSION_PREFIX } from './extensions/schemas.js';

/** Returns the options of the OpenAPI 3 document at `/scpfs/v1/openapi.json`, built from route schemas. */
export function openApiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'scpfs',
        version: '1.1',
        description:
          'Samsung Cloud Platform File Storage OpenAPI 1.1 and 1.0, plus scpfs extensions under ' +
          `${EXTENSION_PREFIX}. Every operation is signed with the SCP HMAC headers.`,
      },
      components: {
        securitySchemes: {
          scpAccessKey: { type: 'apiKey', in: 'header', name: 'Scp-AccessKey' },
          scpSignature: { type: 'apiKey', in: 'header', name: 'Scp-Signature' },
          scpTimestamp: { type: 'apiKey', in: 'header', name: 'Scp-Timestamp' },
        },
      },
      security: [{ scpAccessKey: [], scpSignature: [], scpTimestamp: [] }],
    },
  };
}
