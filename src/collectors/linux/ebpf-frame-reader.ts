import { EbpfFrameError } from './ebpf-frame-error.js';
import { FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_MAX_PAYLOAD, FRAME_VERSION } from './ebpf-layout.js';

export interface Frame {
  readonly kind: number;
  /** A view into a chunk or the reader's buffer: valid only inside the callback. */
  readonly payload: Buffer;
}

/**
 * Splits the helper's stdout into frames. Whole frames are read straight from each chunk; only a frame split
 * across chunks is copied into the carry buffer (bounded by the largest frame plus one chunk). A header with
 * the wrong magic, version or size throws EbpfFrameError: the stream cannot be trusted after that (the
 * collector restarts the helper).
 */
export class EbpfFrameReader {
  #carry: Buffer = Buffer.alloc(256 * 1024);
  #carried = 0;
  #consumed = 0;

  /** Stream bytes consumed (framed) so far. */
  get offset(): number {
    return this.#consumed;
  }

  push(chunk: Buffer, onFrame: (frame: Frame) => void): void {
    if (this.#carried === 0) {
      const used = this.#parse(chunk, chunk.length, onFrame);
      if (used < chunk.length) this.#keep(chunk.subarray(used));
      return;
    }
    this.#keep(chunk);
    const used = this.#parse(this.#carry, this.#carried, onFrame);
    this.#carry.copy(this.#carry, 0, used, this.#carried);
    this.#carried -= used;
  }

  /** Calls onFrame for each whole frame in buf[0, end); returns the bytes used. */
  #parse(buf: Buffer, end: number, onFrame: (frame: Frame) => void): number {
    let at = 0;
    while (end - at >= FRAME_HEADER_BYTES) {
      const magic = buf.readUInt32LE(at);
      if (magic !== FRAME_MAGIC) {
        throw new EbpfFrameError('VG_EBPF_BAD_MAGIC', this.#consumed, `magic 0x${magic.toString(16)}`);
      }
      const version = buf.readUInt16LE(at + 4);
      if (version !== FRAME_VERSION) {
        throw new EbpfFrameError('VG_EBPF_BAD_VERSION', this.#consumed, `helper speaks version ${version}, expected ${FRAME_VERSION}`);
      }
      const length = buf.readUInt32LE(at + 8);
      if (length > FRAME_MAX_PAYLOAD) {
        throw new EbpfFrameError('VG_EBPF_FRAME_TOO_LARGE', this.#consumed, `payload ${length} bytes`);
      }
      if (end - at < FRAME_HEADER_BYTES + length) break;
      const payloadStart = at + FRAME_HEADER_BYTES;
      at = payloadStart + length;
      this.#consumed += FRAME_HEADER_BYTES + length;
      onFrame({ kind: buf.readUInt16LE(payloadStart - 6), payload: buf.subarray(payloadStart, at) });
    }
    return at;
  }

  #keep(bytes: Buffer): void {
    if (this.#carried + bytes.length > this.#carry.length) {
      const grown = Buffer.alloc(Math.max(this.#carry.length * 2, this.#carried + bytes.length));
      this.#carry.copy(grown, 0, 0, this.#carried);
      this.#carry = grown;
    }
    bytes.copy(this.#carry, this.#carried);
    this.#carried += bytes.length;
  }
}
