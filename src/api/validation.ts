import { Ajv, type ErrorObject, type Options } from 'ajv';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { ApiError } from '../errors/api-error.js';

const baseOptions: Options = { allErrors: false, verbose: true, strict: false, useDefaults: true };
// Bodies are JSON, so their types must be exact; query strings and path segments are text.
const bodyAjv = new Ajv({ ...baseOptions, coerceTypes: false });
const textAjv = new Ajv({ ...baseOptions, coerceTypes: true });

/** Compiles route schemas: strict types for bodies, coercion for query strings and params. */
export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema as object);
};

const LOCATIONS: Record<string, { en: string; ko: string }> = {
  body: { en: 'body', ko: '본문' },
  querystring: { en: 'query', ko: '쿼리' },
  params: { en: 'path', ko: '경로' },
  headers: { en: 'header', ko: '헤더' },
};

const SECRET_FIELDS = new Set(['cifs_password', 'secret_key']);

/** Turns the first schema violation of a request part into an ApiError naming the field and rule. */
export function validationErrorToApiError(errors: ErrorObject[], context: string): ApiError {
  const error = pickMostSpecific(errors);
  const location = LOCATIONS[context] ?? LOCATIONS.body!;
  if (error.keyword === 'required') {
    const field = joinField(error.instancePath, String(error.params.missingProperty));
    return new ApiError(
      'MISSING_FIELD',
      { field, location: location.en, location_ko: location.ko },
      { field },
    );
  }
  const field = joinField(error.instancePath, '') || '(root)';
  const rule = describeRule(error);
  const params = {
    field,
    location: location.en,
    location_ko: location.ko,
    rule_en: rule.en,
    rule_ko: rule.ko,
    value: describeValue(field, error.data),
  };
  return new ApiError('INVALID_FIELD', params, { field });
}

function pickMostSpecific(errors: ErrorObject[]): ErrorObject {
  return (
    errors.find(
      (e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'),
    ) ?? errors[0]!
  );
}

function joinField(instancePath: string, property: string): string {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p));
  if (property) parts.push(property);
  return parts.join('.').replace(/\.\[/g, '[');
}

function describeRule(error: ErrorObject): { en: string; ko: string } {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return { en: `must be of type ${String(p.type)}`, ko: `${String(p.type)} 형식이어야 합니다` };
    case 'pattern':
      return {
        en: `must match the pattern ${String(p.pattern)}`,
        ko: `패턴 ${String(p.pattern)}과 일치해야 합니다`,
      };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).join(', ');
      return { en: `must be one of: ${allowed}`, ko: `다음 중 하나여야 합니다: ${allowed}` };
    }
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return describeLimit(error.keyword, Number(p.limit));
    default:
      return {
        en: `is invalid (${error.message ?? error.keyword})`,
        ko: `올바르지 않습니다(${error.message ?? error.keyword})`,
      };
  }
}

function describeLimit(keyword: string, limit: number): { en: string; ko: string } {
  const texts: Record<string, { en: string; ko: string }> = {
    minimum: { en: `must be at least ${limit}`, ko: `${limit} 이상이어야 합니다` },
    maximum: { en: `must be at most ${limit}`, ko: `${limit} 이하여야 합니다` },
    minLength: {
      en: `must be at least ${limit} characters long`,
      ko: `${limit}자 이상이어야 합니다`,
    },
    maxLength: { en: `must be at most ${limit} characters long`, ko: `${limit}자 이하여야 합니다` },
    minItems: {
      en: `must have at least ${limit} items`,
      ko: `항목이 ${limit}개 이상이어야 합니다`,
    },
    maxItems: { en: `must have at most ${limit} items`, ko: `항목이 ${limit}개 이하여야 합니다` },
  };
  return texts[keyword]!;
}

function describeValue(field: string, data: unknown): string {
  if (SECRET_FIELDS.has(field)) return '(hidden)';
  const text = data === undefined ? 'nothing' : (JSON.stringify(data) ?? String(data));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
