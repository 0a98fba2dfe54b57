import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Snapshot } from '../../snapshots/snapshot.js';
import { ErrorBody, VolumeIdQuery } from '../common-schemas.js';
import { principalOf, type ApiDeps } from '../context.js';
import type { ApiVersion } from '../versions.js';
import {
  SnapshotCreateRequest,
  SnapshotCreateResponse,
  SnapshotIdParams,
  SnapshotListResponse,
  SnapshotRestoreResponse,
} from './schemas.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Registers the volume snapshot operations: list, create, delete and restore. */
export function snapshotRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/snapshots',
      {
        config: { operation: 'ListVolumeSnapshots' },
        schema: { querystring: VolumeIdQuery, response: { 200: SnapshotListResponse, ...errors } },
      },
      async (request) => {
        const snapshots = await deps.snapshots.list(
          principalOf(request).accountId,
          request.query.volume_id,
        );
        return {
          count: snapshots.length,
          snapshots: snapshots.map((s) => toSnapshot(s, request.scp.version)),
          snapshot_size_total_byte: snapshots.reduce((sum, s) => sum + (s.sizeBytes ?? 0), 0),
        };
      },
    );

    app.post(
      '/v1/snapshots',
      {
        config: { operation: 'CreateVolumeSnapshot' },
        schema: {
          body: SnapshotCreateRequest,
          response: { 202: SnapshotCreateResponse, ...errors },
        },
      },
      async (request, reply) => {
        const volumeId = request.body.volume_id;
        const snapshot = await deps.snapshots.create(principalOf(request).accountId, volumeId);
        const detail = { ...toSnapshot(snapshot, request.scp.version), volume_id: volumeId };
        return reply.code(202).send({ snapshot: detail });
      },
    );

    app.delete(
      '/v1/snapshots/:snapshot_id',
      {
        config: { operation: 'DeleteVolumeSnapshot' },
        schema: { params: SnapshotIdParams, querystring: VolumeIdQuery },
      },
      async (request, reply) => {
        await deps.snapshots.delete(
          principalOf(request).accountId,
          request.query.volume_id,
          request.params.snapshot_id,
        );
        return reply.code(202).send();
      },
    );

    app.put(
      '/v1/snapshots/:snapshot_id/restore',
      {
        config: { operation: 'SetVolumeSnapshot' },
        schema: {
          params: SnapshotIdParams,
          querystring: VolumeIdQuery,
          response: { 202: SnapshotRestoreResponse, ...errors },
        },
      },
      async (request, reply) => {
        const snapshot = await deps.snapshots.restore(
          principalOf(request).accountId,
          request.query.volume_id,
          request.params.snapshot_id,
        );
        return reply.code(202).send({ snapshot: toSnapshot(snapshot, request.scp.version) });
      },
    );
  };
}

/** Maps to the contract's Snapshot, whose unknown `size` is null in 1.1 and 0 in 1.0. */
function toSnapshot(snapshot: Snapshot, version: ApiVersion) {
  const size = snapshot.sizeBytes ?? (version === '1.0' ? 0 : null);
  return {
    id: snapshot.id,
    name: snapshot.name,
    state: snapshot.state,
    created_at: snapshot.createdAt,
    size,
  };
}
