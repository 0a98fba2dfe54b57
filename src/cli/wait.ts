/** How to poll one resource until it reaches a final state. */
export interface PollSpec<T> {
  /** Reads the resource once. */
  read: () => Promise<T>;
  /** Returns the state to report and compare, such as `creating`. */
  stateOf: (value: T) => string;
  isDone: (value: T) => boolean;
  /** Returns the error to raise when the resource reached a failed state, else undefined. */
  failure: (value: T) => Error | undefined;
  /** Builds the error raised when the timeout passes, given the last state seen. */
  timeoutError: (lastState: string) => Error;
  /** Called with the first state and with every change. */
  onState: (state: string) => void;
}

export interface PollClock {
  timeoutMs: number;
  intervalMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** Reads the resource until it is done, raising when it fails or when the timeout passes. */
export async function pollUntil<T>(spec: PollSpec<T>, clock: PollClock): Promise<T> {
  const deadline = clock.now() + clock.timeoutMs;
  let lastState: string | undefined;
  for (;;) {
    const value = await spec.read();
    const state = spec.stateOf(value);
    if (state !== lastState) spec.onState(state);
    lastState = state;
    if (spec.isDone(value)) return value;
    const failure = spec.failure(value);
    if (failure) throw failure;
    const remainingMs = deadline - clock.now();
    if (remainingMs <= 0) throw spec.timeoutError(state);
    await clock.sleep(Math.min(clock.intervalMs, remainingMs));
  }
}
