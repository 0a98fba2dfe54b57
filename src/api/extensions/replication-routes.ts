import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ReplicationRun as Run } from '../../replications/replication-runs.js';
import { ErrorBody, VolumeIdQuery } from '../common-schemas.js';
import { principalOf, type ApiDeps } from '../context.js';
import { ReplicationIdParams } from '../replications/schemas.js';
import {
  EXTENSION_PREFIX,
  ReplicateNowResponse,
  ReplicationRunListResponse,
  ReplicationStatusResponse,
  RunListQuery,
} from './schemas.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['scpfs extensions'];

/**
 * Status, run history and "replicate now": scpfs extensions on their own path prefix, signed and
 * authorized like SCP operations, so no SCP response ever gains a key.
 */
export function replicationExtensionRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      `${EXTENSION_PREFIX}/replications/:replication_id/status`,
      {
        config: { operation: 'ShowVolumeReplication' },
        schema: {
          tags,
          summary: 'Lag, health against the schedule, and the last and current run',
          params: ReplicationIdParams,
          querystring: VolumeIdQuery,
          response: { 200: ReplicationStatusResponse, ...errors },
        },
      },
      async (request) => {
        const { params, query } = request;
        const report = await deps.monitor.status(
          principalOf(request).accountId,
          params.replication_id,
          query.volume_id,
        );
        const r = report.view.replication;
        return {
          replication_id: r.id,
          replication_status: r.status,
          replication_policy: r.policy,
          replication_frequency: r.frequency,
          last_replicated_at: r.lastReplicatedAt,
          lag_seconds: report.health.lagSeconds,
          interval_seconds: report.health.intervalSeconds,
          health: report.health.health,
          next_run_at: r.nextRunAt,
          last_error: r.lastError,
          last_run: report.lastRun ? toRunBody(report.lastRun) : null,
          current_run: report.currentRun ? toRunBody(report.currentRun) : null,
        };
      },
    );

    app.get(
      `${EXTENSION_PREFIX}/replications/:replication_id/runs`,
      {
        config: { operation: 'ShowVolumeReplication' },
        schema: {
          tags,
          summary: 'Run history, newest first',
          params: ReplicationIdParams,
          querystring: RunListQuery,
          response: { 200: ReplicationRunListResponse, ...errors },
        },
      },
      async (request) => {
        const { params, query } = request;
        const page = { limit: query.limit ?? 20, offset: query.offset ?? 0 };
        const { count, runs } = await deps.monitor.runs(
          principalOf(request).accountId,
          params.replication_id,
          query.volume_id,
          page,
        );
        return { count, runs: runs.map(toRunBody) };
      },
    );

    app.post(
      `${EXTENSION_PREFIX}/replications/:replication_id/sync`,
      {
        config: { operation: 'SetVolumeReplication' },
        schema: {
          tags,
          summary: 'Start a run now; a running transfer finishes first',
          params: ReplicationIdParams,
          querystring: VolumeIdQuery,
          response: { 202: ReplicateNowResponse, ...errors },
        },
      },
      async (request, reply) => {
        const { params, query } = request;
        const nextRunAt = await deps.monitor.replicateNow(
          principalOf(request).accountId,
          params.replication_id,
          query.volume_id,
        );
        return reply
          .code(202)
          .send({ replication_id: params.replication_id, next_run_at: nextRunAt });
      },
    );
  };
}

function toRunBody(run: Run) {
  return {
    run_id: run.id,
    state: run.state,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    duration_ms: run.durationMs,
    entries_scanned: run.entriesScanned,
    files_copied: run.filesCopied,
    bytes_copied: run.bytesCopied,
    entries_deleted: run.entriesDeleted,
    files_total: run.filesTotal,
    bytes_total: run.bytesTotal,
    files_done: run.filesDone,
    bytes_done: run.bytesDone,
    error: run.error,
  };
}
