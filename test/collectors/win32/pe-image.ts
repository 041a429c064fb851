/** Just enough of the PE/COFF format to check what a cross build produced (test helper). */
export interface PeImage {
  /** COFF Machine: 0x8664 for x86-64. */
  readonly machine: number;
  /** Optional header magic: 0x20b for PE32+, 0x10b for PE32. */
  readonly magic: number;
  readonly isDll: boolean;
  readonly exports: string[];
  /** DLL names of the import directory, as written (e.g. `node.exe`, `tdh.dll`). */
  readonly imports: string[];
}

export function readPeImage(buf: Buffer): PeImage {
  if (buf.length < 0x40 || buf.toString('latin1', 0, 2) !== 'MZ') throw new Error('not an MZ image');
  const pe = buf.readUInt32LE(0x3c);
  if (buf.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error('no PE signature');
  const machine = buf.readUInt16LE(pe + 4);
  const sections = buf.readUInt16LE(pe + 6);
  const optSize = buf.readUInt16LE(pe + 20);
  const characteristics = buf.readUInt16LE(pe + 22);
  const opt = pe + 24;
  const magic = buf.readUInt16LE(opt);
  const dirs = opt + (magic === 0x20b ? 112 : 96);
  const secTable = opt + optSize;
  const toOffset = (rva: number): number => {
    for (let i = 0; i < sections; i++) {
      const s = secTable + i * 40;
      const va = buf.readUInt32LE(s + 12);
      const size = Math.max(buf.readUInt32LE(s + 8), buf.readUInt32LE(s + 16));
      if (rva >= va && rva < va + size) return rva - va + buf.readUInt32LE(s + 20);
    }
    throw new Error(`RVA 0x${rva.toString(16)} is in no section`);
  };
  const cstr = (off: number): string => buf.toString('latin1', off, buf.indexOf(0, off));

  const exports: string[] = [];
  const exportRva = buf.readUInt32LE(dirs);
  if (exportRva !== 0) {
    const ed = toOffset(exportRva);
    const count = buf.readUInt32LE(ed + 24);
    const names = toOffset(buf.readUInt32LE(ed + 32));
    for (let i = 0; i < count; i++) exports.push(cstr(toOffset(buf.readUInt32LE(names + 4 * i))));
  }
  const imports: string[] = [];
  const importRva = buf.readUInt32LE(dirs + 8);
  if (importRva !== 0) {
    for (let d = toOffset(importRva); buf.readUInt32LE(d + 12) !== 0; d += 20) imports.push(cstr(toOffset(buf.readUInt32LE(d + 12))));
  }
  return { machine, magic, isDll: (characteristics & 0x2000) !== 0, exports, imports };
}
