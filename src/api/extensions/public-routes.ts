import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors/api-error.js';
import type { ApiDeps } from '../context.js';
import { firstHeader } from '../versions.js';
import { EXTENSION_PREFIX } from './schemas.js';

/**
 * Unsigned routes: the OpenAPI document of every route, and Prometheus metrics, which scrapers
 * cannot sign. Set `metricsToken` to require `Authorization: Bearer <token>` on `/metrics`.
 */
export async function publicRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get(
    `${EXTENSION_PREFIX}/openapi.json`,
    { config: { public: true }, schema: { hide: true } },
    async () => app.swagger(),
  );

  app.get(
    '/metrics',
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      if (
        deps.config.metricsToken &&
        firstHeader(request.headers.authorization) !== `Bearer ${deps.config.metricsToken}`
      ) {
        throw new ApiError('METRICS_TOKEN_INVALID');
      }
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
}
