import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../errors/api-error.js';
import type { Volume } from '../../volumes/volume.js';
import { ErrorBody } from '../common-schemas.js';
import { principalOf, type ApiDeps } from '../context.js';
import { requestRegion } from '../request-region.js';
import {
  ListVolumesQuery,
  VOLUME_TYPES_V10,
  VolumeCreateRequest,
  VolumeCreateResponse,
  VolumeIdParams,
  VolumeListResponse,
  VolumeShowResponse,
} from './schemas.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function volumeRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/volumes',
      {
        config: { operation: 'ListVolumes' },
        schema: { querystring: ListVolumesQuery, response: { 200: VolumeListResponse, ...errors } },
      },
      async (request) => {
        const q = request.query;
        const [column, direction] = (q.sort ?? 'created_at:desc').split(':') as [
          'name' | 'created_at',
          'asc' | 'desc',
        ];
        const { count, volumes } = await deps.volumes.list({
          accountId: principalOf(request).accountId,
          offset: q.offset ?? 0,
          limit: q.limit ?? 20,
          name: q.name,
          typeName: q.type_name,
          sort: { column, direction },
        });
        return { count, filestorages: volumes.map(toVolumeItem) };
      },
    );

    app.post(
      '/v1/volumes',
      {
        config: { operation: 'CreateVolume' },
        schema: { body: VolumeCreateRequest, response: { 202: VolumeCreateResponse, ...errors } },
      },
      async (request, reply) => {
        const body = request.body;
        if (request.scp.version === '1.0' && !VOLUME_TYPES_V10.includes(body.type_name)) {
          throw new ApiError('INVALID_FIELD', typeNameRuleFor10(body.type_name), {
            field: 'type_name',
          });
        }
        const volume = await deps.volumes.create({
          accountId: principalOf(request).accountId,
          name: body.name,
          protocol: body.protocol as Volume['protocol'],
          typeName: body.type_name,
          region: requestRegion(request, deps.regions),
          cifsPassword: body.cifs_password,
          snapshotId: body.snapshot_id,
          tags: body.tags,
        });
        return reply.code(202).send({
          volume_id: volume.id,
          volume_name: volume.name,
          protocol: volume.protocol,
          type_name: volume.typeName,
          snapshot_id: volume.snapshotId,
        });
      },
    );

    app.get(
      '/v1/volumes/:volume_id',
      {
        config: { operation: 'ShowVolume' },
        schema: { params: VolumeIdParams, response: { 200: VolumeShowResponse, ...errors } },
      },
      async (request) => {
        const volume = await deps.volumes.show(
          principalOf(request).accountId,
          request.params.volume_id,
        );
        return {
          ...toVolumeItem(volume),
          encryption_enabled: volume.encryptionEnabled,
          file_unit_recovery_enabled: volume.fileUnitRecoveryEnabled,
          path: deps.regions.volumePath(volume.region, volume.id),
          endpoint_path: null,
          usage: volume.usageBytes,
          cifs_id: volume.cifsId,
        };
      },
    );

    app.delete(
      '/v1/volumes/:volume_id',
      {
        config: { operation: 'DeleteVolume' },
        schema: { params: VolumeIdParams },
      },
      async (request, reply) => {
        await deps.volumes.delete(principalOf(request).accountId, request.params.volume_id);
        return reply.code(202).send();
      },
    );
  };
}

function toVolumeItem(volume: Volume) {
  return {
    id: volume.id,
    name: volume.name,
    protocol: volume.protocol,
    state: volume.state,
    account_id: volume.accountId,
    created_at: volume.createdAt,
    type_id: volume.typeId,
    type_name: volume.typeName,
    purpose: volume.purpose,
  };
}

function typeNameRuleFor10(value: string) {
  const allowed = VOLUME_TYPES_V10.join(', ');
  return {
    field: 'type_name',
    location: 'body',
    location_ko: '본문',
    rule_en: `must be one of: ${allowed} in API version 1.0`,
    rule_ko: `API 버전 1.0에서는 다음 중 하나여야 합니다: ${allowed}`,
    value: JSON.stringify(value),
  };
}
