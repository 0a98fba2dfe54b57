import type { FileHandle } from 'node:fs/promises';

/**
 * A delta file holds the changed blocks of one replica file, each as a record: offset (u64),
 * length (u32), kind (u8: 0 data, 1 zeros) and, for data, the bytes. A zeros record becomes a
 * hole in the replica where the addon can punch one, otherwise zero bytes.
 */
export interface DeltaRecord {
  offset: number;
  length: number;
  /** The bytes to write; undefined for a zeros record. */
  data: Buffer | undefined;
}

const HEADER_BYTES = 13;
const KIND_DATA = 0;
const KIND_ZEROS = 1;

/** Appends records to a delta file through a handle opened for writing. */
export class DeltaWriter {
  #position = 0;
  records = 0;

  constructor(private readonly handle: FileHandle) {}

  async append(offset: number, data: Buffer, allZero: boolean): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeBigUInt64LE(BigInt(offset), 0);
    header.writeUInt32LE(data.length, 8);
    header.writeUInt8(allZero ? KIND_ZEROS : KIND_DATA, 12);
    await this.#write(header);
    if (!allZero) await this.#write(data);
    this.records++;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#position;
  }

  async #write(bytes: Buffer): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(
        bytes,
        done,
        bytes.length - done,
        this.#position,
      );
      done += bytesWritten;
      this.#position += bytesWritten;
    }
  }
}

/** Reads the records of a delta file in order. Throws when the file ends inside a record. */
export async function* readDelta(handle: FileHandle): AsyncGenerator<DeltaRecord> {
  let position = 0;
  const header = Buffer.alloc(HEADER_BYTES);
  for (;;) {
    const headerRead = await readAt(handle, header, position);
    if (headerRead === 0) return;
    if (headerRead < HEADER_BYTES) throw truncated(position);
    const offset = Number(header.readBigUInt64LE(0));
    const length = header.readUInt32LE(8);
    const zeros = header.readUInt8(12) === KIND_ZEROS;
    position += HEADER_BYTES;
    let data: Buffer | undefined;
    if (!zeros) {
      data = Buffer.allocUnsafe(length);
      if ((await readAt(handle, data, position)) < length) throw truncated(position);
      position += length;
    }
    yield { offset, length, data };
  }
}

async function readAt(handle: FileHandle, buffer: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

function truncated(position: number): Error {
  return new Error(`The delta file ends inside a record at byte ${position}`);
}
