/**
 * The SSH wire encoding (RFC 4251 section 5) that OpenSSH keys, key files and SSH signatures are
 * made of: uint32 big-endian, and string = uint32 length then that many bytes.
 */

/** Thrown when the bytes end before a field does, or a field is longer than allowed. */
export class WireError extends Error {}

export class WireReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new WireError("the data ends inside a number");
    const n = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return n;
  }

  string(): Buffer {
    const length = this.uint32();
    if (length > this.bytes.length - this.offset) throw new WireError("a field runs past the end of the data");
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** A string read as ASCII text: the names in SSH structures ("ssh-ed25519", "sha512", "none"). */
  text(): string {
    return this.string().toString("latin1");
  }

  /** `n` raw bytes (the magic at the start of a structure). */
  raw(n: number): Buffer {
    if (this.offset + n > this.bytes.length) throw new WireError("the data ends too early");
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  rest(): Buffer {
    const out = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return out;
  }

  get done(): boolean {
    return this.offset === this.bytes.length;
  }
}

export function wireUint32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
}

export function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([wireUint32(bytes.length), bytes]);
}
