/** Source of the current time, injected so schedules and leases can be tested. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function toIso(date: Date): string {
  return date.toISOString();
}
