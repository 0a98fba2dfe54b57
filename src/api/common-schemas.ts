import { Type, type TSchema } from '@sinclair/typebox';

/** Builds a response object schema whose serializer drops unlisted keys, because real clients reject unknown keys. */
export function StrictObject<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export const NAME_PATTERN = '^[a-z]([a-z0-9_]){2,20}$';

export const ErrorBody = StrictObject({
  errors: Type.Array(
    StrictObject({
      status: Type.Integer(),
      code: Type.String(),
      detail: Type.String(),
      source: Type.Optional(StrictObject({ field: Type.String() })),
    }),
  ),
});

export const VolumeIdQuery = Type.Object({
  volume_id: Type.String({ minLength: 1, maxLength: 64 }),
});
