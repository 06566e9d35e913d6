// Builds CIFAR-10 files in the official binary layout for tests: records of one label byte, then
// 1024 R, 1024 G, 1024 B bytes. Pixel bytes follow a formula, so any byte can be predicted.
import { gzipSync } from 'fflate';
import { createTar } from 'nanotar';

export const RECORD_BYTES = 3073;

/** The byte a fixture stores for record `record`, channel `channel` (0 R, 1 G, 2 B), pixel `row`, `col`. */
export function fixtureByte(seedOffset: number, record: number, channel: number, row: number, col: number): number {
  return (seedOffset * 31 + record * 7 + channel * 101 + row * 13 + col * 3) & 255;
}

/** A batch file with the given labels; `seedOffset` makes different files hold different pixels. */
export function makeBatchFile(labels: readonly number[], seedOffset = 0): Uint8Array {
  const bytes = new Uint8Array(labels.length * RECORD_BYTES);
  labels.forEach((label, record) => {
    const start = record * RECORD_BYTES;
    bytes[start] = label;
    for (let channel = 0; channel < 3; channel++) {
      for (let row = 0; row < 32; row++) {
        for (let col = 0; col < 32; col++) {
          bytes[start + 1 + channel * 1024 + row * 32 + col] = fixtureByte(seedOffset, record, channel, row, col);
        }
      }
    }
  });
  return bytes;
}

export interface TarEntry {
  name: string;
  data: Uint8Array | string;
}

export function makeTar(entries: readonly TarEntry[]): Uint8Array {
  return createTar(entries.map((e) => ({ name: e.name, data: e.data })));
}

export function makeTarGz(entries: readonly TarEntry[]): Uint8Array {
  return gzipSync(makeTar(entries));
}

export const META_TXT = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n';
