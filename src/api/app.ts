import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import { ApiError } from '../errors/api-error.js';
import { localeFromAcceptLanguage } from '../i18n/locale.js';
import { authenticate, authorize } from './authenticate.js';
import type { ApiDeps, ScpRequestState } from './context.js';
import { BODY_LIMIT_BYTES, handleError } from './error-handler.js';
import { replicationRoutes } from './replications/routes.js';
import { replicationExtensionRoutes } from './extensions/replication-routes.js';
import { publicRoutes } from './extensions/public-routes.js';
import { openApiOptions } from './openapi.js';
import swagger from '@fastify/swagger';
import { snapshotScheduleRoutes } from './snapshot-schedules/routes.js';
import { snapshotRoutes } from './snapshots/routes.js';
import { validatorCompiler } from './validation.js';
import {
  firstHeader,
  markDeprecated,
  negotiateVersion,
  requestOrigin,
  versionsDocument,
} from './versions.js';
import { volumeRoutes } from './volumes/routes.js';
import { volumeSettingsRoutes } from './volumes/settings-routes.js';

function requestState(request: FastifyRequest, deps: ApiDeps): ScpRequestState {
  const header = firstHeader(request.headers['accept-language']);
  return { locale: localeFromAcceptLanguage(header, deps.config.defaultLocale), version: '1.1' };
}

/** Builds the HTTP API: hooks for locale, version and signature, the SCP routes, one error mapping. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  // Fastify's logger type is narrower than pino's own; the instance is the same pino logger.
  const loggerInstance = deps.logger as unknown as FastifyBaseLogger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: deps.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: false },
    // Errors raised by the router before any hook runs: a malformed URL or an overlong path id.
    frameworkErrors: (err, request, reply) => {
      request.scp = requestState(request, deps);
      return handleError(err, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.decorateRequest('scp', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.scp = requestState(request, deps);
    if (request.routeOptions.config?.public) return;
    request.scp.version = negotiateVersion(
      firstHeader(request.headers['scp-api-version']),
      deps.config,
    );
    if (request.scp.version === '1.0') markDeprecated(reply);
    request.scp.principal = await authenticate(request, deps);
    const operation = request.routeOptions.config?.operation;
    if (operation) authorize(request.scp.principal, operation);
  });
  app.setNotFoundHandler(async (request: FastifyRequest) => {
    throw new ApiError('ROUTE_NOT_FOUND', {
      method: request.method,
      path: request.url.split('?')[0],
    });
  });

  await app.register(swagger, openApiOptions());
  await publicRoutes(app as unknown as FastifyInstance, deps);
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (request) =>
    versionsDocument(requestOrigin(request, deps.config), deps.config),
  );
  await app.register(volumeRoutes(deps));
  await app.register(volumeSettingsRoutes(deps));
  await app.register(snapshotRoutes(deps));
  await app.register(snapshotScheduleRoutes(deps));
  await app.register(replicationRoutes(deps));
  await app.register(replicationExtensionRoutes(deps));
  return app as unknown as FastifyInstance;
}
