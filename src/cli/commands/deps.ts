import type { Command } from 'commander';
import type { ScpResponse } from '../client.js';
import type { CliContext } from '../context.js';
import type { Messages } from '../messages.js';
import { renderKeyValues, renderTable } from '../render.js';
import { Session, type GlobalOptions } from '../session.js';
import type { PollClock } from '../wait.js';

/** Dependencies that the command modules use to register and run their commands. */
export interface CommandDeps {
  context: CliContext;
  messages: Messages;
}

/** Builds the session for a running command from its own and its ancestors' options. */
export function sessionFor(command: Command, deps: CommandDeps): Session {
  return new Session(deps.context, deps.messages, command.optsWithGlobals<GlobalOptions>());
}

/** Prints a response object: every field with its label in table format, the body in json. */
export function printFields(session: Session, response: ScpResponse): void {
  session.printResult(response, () =>
    renderKeyValues(labelledEntries(response.body, session.messages)),
  );
}

/** Renders `fields` of the rows as a table with localized headings, or `(none)` without rows. */
export function renderRows(session: Session, fields: readonly string[], rows: object[]): string {
  const { messages } = session;
  if (rows.length === 0) return messages.t('result.none');
  const columns = fields.map((field) => ({ field, label: messages.fieldLabel(field) }));
  return renderTable(columns, rows);
}

/** Renders a list response: its rows, then the total count the server reported. */
export function renderList(
  session: Session,
  fields: readonly string[],
  rows: object[],
  count: number,
): string {
  const total = session.messages.t('result.total', { count });
  return `${renderRows(session, fields, rows)}\n${total}`;
}

function labelledEntries(body: unknown, messages: Messages): [string, unknown][] {
  const record = (body ?? {}) as Record<string, unknown>;
  return Object.entries(record).map(([field, value]) => [messages.fieldLabel(field), value]);
}

/** Returns the timing of `--wait` polls for this session. */
export function pollClock(session: Session): PollClock {
  const { context } = session;
  return {
    timeoutMs: session.waitTimeoutMs,
    intervalMs: context.pollIntervalMs,
    sleep: context.sleep,
    now: context.now,
  };
}

/** Reads a string field of a response body. A missing or non-string field reads as `-`. */
export function stringField(body: unknown, field: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : '-';
}
