import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, isApiError } from '../errors/api-error.js';
import { renderDetail } from '../errors/catalogue.js';
import { validationErrorToApiError } from './validation.js';

/** Sends the contract's error body: `{"errors":[{status, code, detail, source?}]}`. */
export function sendApiError(request: FastifyRequest, reply: FastifyReply, err: ApiError) {
  const locale = request.scp?.locale ?? 'ko';
  const item = {
    status: err.status,
    code: err.code,
    detail: renderDetail(err.code, { requestId: request.id, ...err.params }, locale),
    ...(err.field ? { source: { field: err.field } } : {}),
  };
  return reply
    .code(err.status)
    .type('application/json; charset=utf-8')
    .send({ errors: [item] });
}

/** Maps every error to the catalogue once, at the edge; logs 4xx at info and 5xx at error. */
export function handleError(
  err: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const apiError = toApiError(err, request);
  if (apiError.status >= 500) {
    request.log.error({ err, reqId: request.id }, 'request failed');
  } else {
    request.log.info(
      { code: apiError.code, field: apiError.field, reqId: request.id },
      'request rejected',
    );
  }
  return sendApiError(request, reply, apiError);
}

function toApiError(err: FastifyError | Error, request: FastifyRequest): ApiError {
  if (isApiError(err)) return err;
  const fastifyError = err as FastifyError;
  if (fastifyError.validation) {
    return validationErrorToApiError(
      fastifyError.validation as never,
      fastifyError.validationContext ?? 'body',
    );
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        { contentType: request.headers['content-type'] ?? '' },
        { cause: err },
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError('PATH_ID_TOO_LONG', { limit: MAX_PARAM_LENGTH }, { cause: err });
    case 'FST_ERR_BAD_URL':
      return new ApiError('BAD_URL', {}, { cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('BODY_TOO_LARGE', { limit: BODY_LIMIT_BYTES }, { cause: err });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('INVALID_JSON', { reason: 'empty body' }, { cause: err });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('INVALID_JSON', { reason: err.message }, { cause: err });
  }
  if (err instanceof SyntaxError || fastifyError.statusCode === 400) {
    return new ApiError('INVALID_JSON', { reason: err.message }, { cause: err });
  }
  return new ApiError('INTERNAL', {}, { cause: err });
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Fastify's default maximum length of one path parameter. */
export const MAX_PARAM_LENGTH = 100;
