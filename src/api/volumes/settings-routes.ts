import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessRuleChange } from '../../volumes/access-rule-service.js';
import { ErrorBody } from '../common-schemas.js';
import { principalOf, type ApiDeps } from '../context.js';
import {
  AccessRuleListResponse,
  AccessRuleRequest,
  AccessRuleResponse,
  VolumeIdParams,
  VolumeSetRequest,
  VolumeSetResponse,
} from './schemas.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** SetVolume and the access-rule operations of a volume. */
export function volumeSettingsRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/v1/volumes/:volume_id',
      {
        config: { operation: 'SetVolume' },
        schema: {
          params: VolumeIdParams,
          body: VolumeSetRequest,
          response: { 202: VolumeSetResponse, ...errors },
        },
      },
      async (request, reply) => {
        const volume = await deps.volumes.setFileUnitRecovery(
          principalOf(request).accountId,
          request.params.volume_id,
          request.body.file_unit_recovery_enabled,
        );
        // Version 1.0 of SetVolume has no response body.
        if (request.scp.version === '1.0') return reply.code(202).send(undefined as never);
        return reply.code(202).send({ file_unit_recovery_enabled: volume.fileUnitRecoveryEnabled });
      },
    );

    app.get(
      '/v1/volumes/:volume_id/access-rules',
      {
        config: { operation: 'ListVolumeAccessRules' },
        schema: { params: VolumeIdParams, response: { 200: AccessRuleListResponse, ...errors } },
      },
      async (request) => {
        const volumeId = request.params.volume_id;
        const rules = await deps.accessRules.list(principalOf(request).accountId, volumeId);
        return {
          volume_id: volumeId,
          count: rules.length,
          access_rules: rules.map((r) => ({
            object_type: r.objectType,
            object_id: r.objectId,
            access_rule_state: r.state,
          })),
        };
      },
    );

    app.put(
      '/v1/volumes/:volume_id/access-rules',
      {
        config: { operation: 'SetVolumeAccessRule' },
        schema: {
          params: VolumeIdParams,
          body: AccessRuleRequest,
          response: { 202: AccessRuleResponse, ...errors },
        },
      },
      async (request, reply) => {
        const volumeId = request.params.volume_id;
        const change: AccessRuleChange = {
          action: request.body.action as AccessRuleChange['action'],
          objectType: request.body.object_type,
          objectId: request.body.object_id,
        };
        await deps.accessRules.apply(principalOf(request).accountId, volumeId, change);
        return reply.code(202).send({
          volume_id: volumeId,
          action: change.action,
          object_type: change.objectType,
          object_id: change.objectId,
        });
      },
    );
  };
}
