import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * Serializes values into one growing buffer, written out on flush, keeping a SHA-256 of
 * everything written. One buffer instead of a Buffer per value keeps garbage low for indexes of
 * millions of records.
 */
export class ByteWriter {
  readonly #hash: Hash = createHash('sha256');
  #buffer = Buffer.allocUnsafe(2 * 1024 * 1024);
  #buffered = 0;
  #position = 0;

  constructor(private readonly handle: FileHandle) {}

  u8(value: number): void {
    this.#buffered = this.#reserve(1).writeUInt8(value, this.#buffered);
  }

  u16(value: number): void {
    this.#buffered = this.#reserve(2).writeUInt16LE(value, this.#buffered);
  }

  u32(value: number): void {
    this.#buffered = this.#reserve(4).writeUInt32LE(value, this.#buffered);
  }

  f64(value: number): void {
    this.#buffered = this.#reserve(8).writeDoubleLE(value, this.#buffered);
  }

  i64(value: bigint): void {
    this.#buffered = this.#reserve(8).writeBigInt64LE(BigInt.asIntN(64, value), this.#buffered);
  }

  u64(value: bigint): void {
    this.#buffered = this.#reserve(8).writeBigUInt64LE(BigInt.asUintN(64, value), this.#buffered);
  }

  bytes(value: Buffer): void {
    this.#buffered += value.copy(this.#reserve(value.length), this.#buffered);
  }

  /** Returns the buffer, grown so that `count` more bytes fit. */
  #reserve(count: number): Buffer {
    if (this.#buffered + count <= this.#buffer.length) return this.#buffer;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#buffered + count));
    this.#buffer.copy(grown, 0, 0, this.#buffered);
    this.#buffer = grown;
    return grown;
  }

  /** Writes the buffered bytes when more than `threshold` are waiting. */
  async flush(threshold = 0): Promise<void> {
    if (this.#buffered <= threshold || this.#buffered === 0) return;
    const data = this.#buffer.subarray(0, this.#buffered);
    this.#hash.update(data);
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(
        data,
        done,
        data.length - done,
        this.#position,
      );
      done += bytesWritten;
      this.#position += bytesWritten;
    }
    this.#buffered = 0;
  }

  /** File offset after the last flushed byte. */
  get position(): number {
    return this.#position;
  }

  /** Flushes and returns the SHA-256 of everything written. */
  async digest(): Promise<Buffer> {
    await this.flush();
    return this.#hash.digest();
  }
}

/** Sequential reader of a file with typed accessors; `need` loads bytes ahead of each read. */
export class ByteReader {
  #buffer = Buffer.alloc(1024 * 1024);
  #start = 0;
  #end = 0;
  #filePosition = 0;

  constructor(private readonly handle: FileHandle) {}

  /** Makes `count` bytes available; returns false at the end of the file. */
  async need(count: number): Promise<boolean> {
    if (this.#end - this.#start >= count) return true;
    this.#compact(count);
    while (this.#end - this.#start < count) {
      const { bytesRead } = await this.handle.read(
        this.#buffer,
        this.#end,
        this.#buffer.length - this.#end,
        this.#filePosition,
      );
      if (bytesRead === 0) return false;
      this.#end += bytesRead;
      this.#filePosition += bytesRead;
    }
    return true;
  }

  #compact(count: number): void {
    const pending = this.#buffer.subarray(this.#start, this.#end);
    const target = count > this.#buffer.length ? Buffer.alloc(count * 2) : this.#buffer;
    pending.copy(target, 0);
    this.#buffer = target;
    this.#end = pending.length;
    this.#start = 0;
  }

  u8(): number {
    return this.#take(1).readUInt8(0);
  }

  u16(): number {
    return this.#take(2).readUInt16LE(0);
  }

  u32(): number {
    return this.#take(4).readUInt32LE(0);
  }

  f64(): number {
    return this.#take(8).readDoubleLE(0);
  }

  i64(): bigint {
    return this.#take(8).readBigInt64LE(0);
  }

  u64(): bigint {
    return this.#take(8).readBigUInt64LE(0);
  }

  /** Returns a copy of the next `count` bytes. */
  bytes(count: number): Buffer {
    return Buffer.from(this.#take(count));
  }

  latin1(count: number): string {
    return this.#take(count).toString('latin1');
  }

  #take(count: number): Buffer {
    if (this.#end - this.#start < count) throw new IndexFormatError('unexpected end of data');
    const view = this.#buffer.subarray(this.#start, this.#start + count);
    this.#start += count;
    return view;
  }
}

/** An index file that cannot be parsed. */
export class IndexFormatError extends Error {
  override readonly name = 'IndexFormatError';
}
