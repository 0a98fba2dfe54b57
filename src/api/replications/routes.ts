import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allowedTargetRegions } from '../../replications/region-routes.js';
import type { ReplicationView } from '../../replications/replication-service.js';
import type { Frequency, ReplicationType } from '../../replications/replication.js';
import type { ReplicationUpdate } from '../../replications/replication-update.js';
import { ErrorBody, VolumeIdQuery } from '../common-schemas.js';
import { principalOf, type ApiDeps } from '../context.js';
import {
  RegionListResponse,
  RegionsQuery,
  ReplicationCreateRequest,
  ReplicationCreateResponse,
  ReplicationIdParams,
  ReplicationListResponse,
  ReplicationShowResponse,
  ReplicationUpdateRequest,
  ReplicationUpdateResponse,
} from './schemas.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function replicationRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/replications/regions',
      {
        config: { operation: 'ListVolumeReplicationRegions' },
        schema: { querystring: RegionsQuery, response: { 200: RegionListResponse, ...errors } },
      },
      async (request) => {
        const q = request.query;
        const regions = allowedTargetRegions(deps.config, {
          sourceRegion: q.source_region_name || undefined,
          replicationType: q.replication_type,
          typeName: q.type_name,
        });
        return { regions };
      },
    );

    app.get(
      '/v1/replications',
      {
        config: { operation: 'ListVolumeReplications' },
        schema: {
          querystring: VolumeIdQuery,
          response: { 200: ReplicationListResponse, ...errors },
        },
      },
      async (request) => {
        const views = await deps.replications.listForVolume(
          principalOf(request).accountId,
          request.query.volume_id,
        );
        return { count: views.length, replications: views.map(toReplicationItem) };
      },
    );

    app.post(
      '/v1/replications',
      {
        config: { operation: 'CreateVolumeReplication' },
        schema: {
          body: ReplicationCreateRequest,
          response: { 202: ReplicationCreateResponse, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const view = await deps.replications.create({
          accountId: principalOf(request).accountId,
          name: body.name,
          region: body.region,
          frequency: body.replication_frequency as Frequency,
          type: body.replication_type as ReplicationType,
          sourceVolumeId: body.volume_id,
          cifsPassword: body.cifs_password,
          backupRetentionCount: body.backup_retention_count,
        });
        return reply.code(202).send({
          replication_id: view.replication.id,
          replication_status: view.replication.status,
          source_volume_id: view.source.id,
          source_volume_region: view.source.region,
          protocol: view.source.protocol,
          replication_volume_id: view.target.id,
          replication_volume_region: view.target.region,
        });
      },
    );

    app.put(
      '/v1/replications/:replication_id',
      {
        config: { operation: 'SetVolumeReplication' },
        schema: {
          params: ReplicationIdParams,
          querystring: VolumeIdQuery,
          body: ReplicationUpdateRequest,
          response: { 202: ReplicationUpdateResponse, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const view = await deps.replications.update(
          principalOf(request).accountId,
          request.params.replication_id,
          request.query.volume_id,
          {
            updateType: body.replication_update_type as ReplicationUpdate['updateType'],
            policy: body.replication_policy as ReplicationUpdate['policy'],
            frequency: body.replication_frequency as ReplicationUpdate['frequency'],
            backupRetentionCount: body.backup_retention_count,
          },
        );
        return reply.code(202).send({
          ...toReplicationItem(view),
          backup_retention_count: view.replication.backupRetentionCount,
        });
      },
    );

    app.delete(
      '/v1/replications/:replication_id',
      {
        config: { operation: 'DeleteVolumeReplication' },
        schema: { params: ReplicationIdParams, querystring: VolumeIdQuery },
      },
      async (request, reply) => {
        await deps.replications.delete(
          principalOf(request).accountId,
          request.params.replication_id,
          request.query.volume_id,
        );
        return reply.code(202).send();
      },
    );

    app.get(
      '/v1/replications/:replication_id',
      {
        config: { operation: 'ShowVolumeReplication' },
        schema: {
          params: ReplicationIdParams,
          querystring: VolumeIdQuery,
          response: { 200: ReplicationShowResponse, ...errors },
        },
      },
      async (request) => {
        const view = await deps.replications.show(
          principalOf(request).accountId,
          request.params.replication_id,
          request.query.volume_id,
        );
        return {
          ...toReplicationItem(view),
          replication_policy: view.replication.policy,
          replication_status: view.replication.status,
          source_volume_name: view.source.name,
          replication_volume_name: view.target.name,
          backup_retention_count: view.replication.backupRetentionCount,
        };
      },
    );
  };
}

function toReplicationItem({ replication, source, target }: ReplicationView) {
  return {
    replication_id: replication.id,
    replication_frequency: replication.frequency,
    replication_type: replication.type,
    source_volume_id: source.id,
    source_volume_region: source.region,
    source_volume_access_level: source.accessLevel,
    replication_volume_id: target.id,
    replication_volume_region: target.region,
    replication_volume_access_level: target.accessLevel,
  };
}
