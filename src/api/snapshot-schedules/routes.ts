import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ScheduleChange, ScheduleInput } from '../../snapshots/schedule-service.js';
import type { DayOfWeek, ScheduleFrequency, ScheduleTime } from '../../snapshots/snapshot.js';
import { ErrorBody, VolumeIdQuery } from '../common-schemas.js';
import { principalOf, type ApiDeps } from '../context.js';
import {
  retentionCountOf,
  ScheduleChangeResponse,
  ScheduleCreateRequest,
  ScheduleIdParams,
  ScheduleListResponse,
  ScheduleSetRequest,
} from './schemas.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Registers the snapshot schedule operations of a volume. */
export function snapshotScheduleRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/snapshot-schedules',
      {
        config: { operation: 'ListVolumeSnapshotSchedules' },
        schema: { querystring: VolumeIdQuery, response: { 200: ScheduleListResponse, ...errors } },
      },
      async (request) => {
        const view = await deps.snapshotSchedules.list(
          principalOf(request).accountId,
          request.query.volume_id,
        );
        return {
          volume_id: view.volumeId,
          snapshot_schedule: view.schedules.map((s) => ({ id: s.id, ...toScheduleBody(s) })),
          snapshot_policy_enabled: view.enabled,
          snapshot_retention_count: view.retentionCount,
        };
      },
    );

    app.post(
      '/v1/snapshot-schedules',
      {
        config: { operation: 'CreateVolumeSnapshotSchedule' },
        schema: {
          body: ScheduleCreateRequest,
          response: { 202: ScheduleChangeResponse, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const change = await deps.snapshotSchedules.create(
          principalOf(request).accountId,
          body.volume_id,
          toScheduleInput(body.snapshot_schedule),
          retentionCountOf(body.snapshot_retention_count),
        );
        return reply.code(202).send(toChangeResponse(change));
      },
    );

    app.put(
      '/v1/snapshot-schedules/:snapshot_schedule_id',
      {
        config: { operation: 'SetVolumeSnapshotSchedule' },
        schema: {
          params: ScheduleIdParams,
          querystring: VolumeIdQuery,
          body: ScheduleSetRequest,
          response: { 202: ScheduleChangeResponse, ...errors },
        },
      },
      async (request, reply) => {
        const change = await deps.snapshotSchedules.set(
          principalOf(request).accountId,
          request.query.volume_id,
          request.params.snapshot_schedule_id,
          toScheduleInput(request.body.snapshot_schedule),
          retentionCountOf(request.body.snapshot_retention_count),
        );
        return reply.code(202).send(toChangeResponse(change));
      },
    );

    app.delete(
      '/v1/snapshot-schedules/:snapshot_schedule_id',
      {
        config: { operation: 'DeleteVolumeSnapshotSchedule' },
        schema: { params: ScheduleIdParams, querystring: VolumeIdQuery },
      },
      async (request, reply) => {
        await deps.snapshotSchedules.delete(
          principalOf(request).accountId,
          request.query.volume_id,
          request.params.snapshot_schedule_id,
        );
        return reply.code(202).send();
      },
    );
  };
}

function toScheduleInput(body: {
  frequency: string;
  hour: string;
  day_of_week?: string | null;
}): ScheduleInput {
  return {
    frequency: body.frequency as ScheduleFrequency,
    hour: body.hour,
    dayOfWeek: (body.day_of_week ?? null) as DayOfWeek | null,
  };
}

/** Maps to the contract's SnapshotSchedule: `hour` as a string, `day_of_week` null for DAILY. */
function toScheduleBody(time: ScheduleTime) {
  return { frequency: time.frequency, hour: String(time.hour), day_of_week: time.dayOfWeek };
}

function toChangeResponse(change: ScheduleChange) {
  return {
    volume_id: change.volumeId,
    snapshot_schedule: toScheduleBody(change.schedule),
    snapshot_retention_count: change.retentionCount,
  };
}
