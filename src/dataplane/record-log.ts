import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Buffered bytes that trigger a write. */
const FLUSH_BYTES = 256 * 1024;

/**
 * An append-only file of JSON records, one per line, that a run writes once and reads back in
 * order. Plans and staging results go through these files instead of arrays, so that memory
 * stays flat however many entries a run touches. Records must not contain bigints.
 */
export class RecordLog<T> {
  #handle: FileHandle | undefined;
  #lines: string[] = [];
  #buffered = 0;
  #writing: Promise<unknown> = Promise.resolve();
  #count = 0;

  constructor(readonly path: Buffer) {}

  /** Records appended so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends a record; it reaches the file at the latest on close(). */
  async append(record: T): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.#lines.push(line);
    this.#buffered += line.length;
    this.#count++;
    if (this.#buffered >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#lines.length === 0) return this.#writing.then(() => undefined);
    const text = this.#lines.join('');
    this.#lines = [];
    this.#buffered = 0;
    this.#writing = this.#writing.then(async () => {
      this.#handle ??= await open(this.path, 'a', 0o600);
      await this.#handle.appendFile(text, 'latin1');
    });
    await this.#writing;
  }

  /** Writes what is buffered and closes the file; reading needs this first. */
  async close(): Promise<void> {
    await this.flush();
    await this.#handle?.close();
    this.#handle = undefined;
  }

  /** Yields the records in the order they were appended. */
  async *read(): AsyncGenerator<T> {
    if (this.#count === 0) return;
    const lines = createInterface({
      input: createReadStream(this.path, { encoding: 'latin1' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
}
