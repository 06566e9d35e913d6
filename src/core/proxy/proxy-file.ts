// The serialized proxy-net format (ProxyNet.serialize / ProxyNet.deserialize): a magic preamble, a
// JSON header and the weights as float32, with the checks that name what is wrong with a bad file.
import { validateRecipe, type ProxyRecipe } from './proxy-recipe';
import { errorText } from '../error-text';
import { shapeSize } from '../numbers';

/** The first 8 bytes of a serialized proxy net. */
export const PROXY_FILE_MAGIC = 'SGANPRXY';
export const PROXY_FILE_FORMAT_VERSION = 1;

const PROXY_FILE_FORMAT = 'spectral-gan-proxy-net';
/** Magic (8 bytes) + uint32 header length. */
const PREAMBLE_BYTES = 12;

/** The JSON header of a serialized proxy net. */
export interface ProxyFileHeader {
  format: 'spectral-gan-proxy-net';
  formatVersion: number;
  recipe: ProxyRecipe;
  seed: number;
  dataKey: string | null;
  key: string | null;
  classCount: number;
  classIds: number[];
  classNames: string[] | null;
  accuracy: number | null;
  tensors: { name: string; shape: number[] }[];
}

/** What a net puts in its header; encodeProxyFile adds the format fields and the tensor list. */
export type ProxyFileContents = Omit<ProxyFileHeader, 'format' | 'formatVersion' | 'tensors'>;

/** One weight tensor to write, in the net's serialization order. */
export interface ProxyFileTensor {
  name: string;
  shape: readonly number[];
  values: ArrayLike<number>;
}

/** A decoded file: its header and one float32 array per header tensor, in header order. */
export interface DecodedProxyFile {
  header: ProxyFileHeader;
  weights: Float32Array[];
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/**
 * The net as one buffer: magic "SGANPRXY", uint32 (little-endian) header length, the UTF-8 JSON
 * header (ProxyFileHeader), zero padding to a multiple of 4, then every weight as little-endian
 * float32 in header order.
 */
export function encodeProxyFile(contents: ProxyFileContents, tensors: readonly ProxyFileTensor[]): ArrayBuffer {
  for (const { name, shape, values } of tensors) {
    const size = shapeSize(shape);
    if (values.length !== size)
      throw new Error(
        `encodeProxyFile: tensor ${name} [${shape.join(', ')}] needs ${size} values, got ${values.length}`,
      );
  }
  // Field by field, so the JSON's key order (and so the file's bytes) does not depend on the caller.
  const header: ProxyFileHeader = {
    format: PROXY_FILE_FORMAT,
    formatVersion: PROXY_FILE_FORMAT_VERSION,
    recipe: contents.recipe,
    seed: contents.seed,
    dataKey: contents.dataKey,
    key: contents.key,
    classCount: contents.classCount,
    classIds: contents.classIds,
    classNames: contents.classNames,
    accuracy: contents.accuracy,
    tensors: tensors.map(({ name, shape }) => ({ name, shape: [...shape] })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const weightsStart = align4(PREAMBLE_BYTES + headerBytes.length);
  const floats = tensors.reduce((total, { values }) => total + values.length, 0);
  const buffer = new ArrayBuffer(weightsStart + floats * 4);
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < 8; i++) bytes[i] = PROXY_FILE_MAGIC.charCodeAt(i);
  const view = new DataView(buffer);
  view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, PREAMBLE_BYTES);
  let offset = weightsStart;
  for (const { values } of tensors) {
    for (let i = 0; i < values.length; i++, offset += 4) view.setFloat32(offset, values[i], true);
  }
  return buffer;
}

/**
 * Reads encodeProxyFile's layout; a truncated or foreign buffer, an unsupported format version or a
 * size that disagrees with the header is an error (prefixed `what`) saying which. The header's recipe
 * is not checked here: checkProxyFileTensors compares the tensors with what the recipe makes.
 */
export function decodeProxyFile(data: ArrayBuffer | Uint8Array, what = 'decodeProxyFile'): DecodedProxyFile {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < PREAMBLE_BYTES) {
    throw new Error(
      `${what}: not a proxy-net file: ${bytes.length} bytes is shorter than the ` +
        `${PREAMBLE_BYTES}-byte preamble (truncated?)`,
    );
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== PROXY_FILE_MAGIC)
    throw new Error(
      `${what}: not a proxy-net file (it starts with ${JSON.stringify(magic)}, expected ` +
        `${JSON.stringify(PROXY_FILE_MAGIC)})`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (PREAMBLE_BYTES + headerLength > bytes.length) {
    throw new Error(
      `${what}: truncated file: the header needs ${headerLength} bytes after the preamble, only ` +
        `${bytes.length - PREAMBLE_BYTES} are there`,
    );
  }
  let header: ProxyFileHeader;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength)),
    ) as ProxyFileHeader;
  } catch (error) {
    throw new Error(`${what}: corrupt header (${errorText(error)})`, { cause: error });
  }
  if (header === null || typeof header !== 'object' || header.format !== PROXY_FILE_FORMAT)
    throw new Error(`${what}: the header is not a proxy-net header`);
  if (header.formatVersion !== PROXY_FILE_FORMAT_VERSION) {
    throw new Error(
      `${what}: file format version ${String(header.formatVersion)} is not supported (this build ` +
        `reads version ${PROXY_FILE_FORMAT_VERSION})`,
    );
  }
  if (!Array.isArray(header.tensors)) throw new Error(`${what}: the header lists no tensors`);
  checkHeaderFields(header, what);
  const weightsStart = align4(PREAMBLE_BYTES + headerLength);
  let floats = 0;
  for (const tensor of header.tensors) {
    if (!Array.isArray(tensor.shape) || !tensor.shape.every((n) => Number.isInteger(n) && n > 0)) {
      throw new Error(`${what}: tensor ${String(tensor.name)} has a bad shape ${JSON.stringify(tensor.shape)}`);
    }
    floats += shapeSize(tensor.shape);
  }
  // Before any net is built from the header: the recipe must make exactly the listed tensors, so a
  // hand-made header cannot make the reader allocate more weights than the file holds.
  checkProxyFileTensors(header, proxyTensorShapes(header.recipe, header.classCount), what);
  const expected = weightsStart + floats * 4;
  if (bytes.length < expected) {
    throw new Error(
      `${what}: truncated file: ${bytes.length} bytes, the header promises ${expected} (${floats} ` +
        `float32 weights from byte ${weightsStart})`,
    );
  }
  if (bytes.length > expected)
    throw new Error(
      `${what}: ${bytes.length - expected} unexpected bytes after the weights (expected ${expected} bytes in all)`,
    );

  let offset = weightsStart;
  const weights = header.tensors.map((tensor) => {
    const values = new Float32Array(shapeSize(tensor.shape));
    for (let k = 0; k < values.length; k++, offset += 4) values[k] = view.getFloat32(offset, true);
    return values;
  });
  return { header, weights };
}

/**
 * The tensors a proxy net of `recipe` with `classCount` outputs holds, in serialization order: the
 * layout ProxyNet builds (ProxyNet.deserialize checks the net it built against the file as well).
 */
export function proxyTensorShapes(recipe: ProxyRecipe, classCount: number): { name: string; shape: number[] }[] {
  const tensors: { name: string; shape: number[] }[] = [];
  let channels = 3;
  recipe.convs.forEach((conv, i) => {
    tensors.push(
      { name: `conv${i}.kernel`, shape: [3, 3, channels, conv.channels] },
      { name: `conv${i}.bias`, shape: [conv.channels] },
    );
    channels = conv.channels;
  });
  const f = recipe.featureDimension;
  tensors.push(
    { name: 'feature.kernel', shape: [channels, f] },
    { name: 'feature.bias', shape: [f] },
    { name: 'logits.kernel', shape: [f, classCount] },
    { name: 'logits.bias', shape: [classCount] },
  );
  return tensors;
}

/** The header fields a net is built from, checked for type and range (the file may be hand-made). */
function checkHeaderFields(header: ProxyFileHeader, what: string): void {
  const bad = (field: string, value: unknown, expected: string): never => {
    const shown = JSON.stringify(value) ?? String(value);
    throw new Error(
      `${what}: the header's ${field} ${shown.length > 60 ? `${shown.slice(0, 60)}...` : shown} is not ${expected}`,
    );
  };
  for (const tensor of header.tensors as unknown[]) {
    if (tensor === null || typeof tensor !== 'object' || typeof (tensor as { name?: unknown }).name !== 'string')
      bad('tensor entry', tensor, 'a {name, shape} object');
  }
  const recipe = header.recipe as unknown;
  if (recipe === null || typeof recipe !== 'object') bad('recipe', recipe, 'an object');
  const convs = (recipe as { convs?: unknown }).convs;
  if (Array.isArray(convs) && !convs.every((conv) => conv !== null && typeof conv === 'object'))
    bad('recipe.convs', convs, 'a list of {channels, stride} objects');
  try {
    validateRecipe(header.recipe);
  } catch (error) {
    throw new Error(`${what}: ${errorText(error)}`, { cause: error });
  }
  const { classCount, classIds, classNames, seed, dataKey } = header as unknown as Record<string, unknown>;
  if (typeof classCount !== 'number' || !Number.isInteger(classCount) || classCount < 2 || classCount > 256)
    bad('classCount', classCount, 'an integer 2-256');
  if (!Array.isArray(classIds) || classIds.length !== classCount)
    bad('classIds', classIds, `a list of ${String(classCount)} class ids`);
  if (
    classNames !== null &&
    (!Array.isArray(classNames) || classNames.length !== classCount || !classNames.every((n) => typeof n === 'string'))
  ) {
    bad('classNames', classNames, `null or a list of ${String(classCount)} names`);
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    bad('seed', seed, 'an integer 0-4294967295');
  if (dataKey !== null && typeof dataKey !== 'string') bad('dataKey', dataKey, 'null or a string');
}

/**
 * Checks that a decoded header lists exactly the tensors `expected` (what the header's recipe makes,
 * in serialization order), by name and shape; a file whose recipe no longer matches its tensors (e.g.
 * edited by hand) is an error (prefixed `what`) naming the first difference.
 */
export function checkProxyFileTensors(
  header: ProxyFileHeader,
  expected: readonly { name: string; shape: readonly number[] }[],
  what = 'checkProxyFileTensors',
): void {
  if (expected.length !== header.tensors.length) {
    throw new Error(`${what}: the recipe makes ${expected.length} tensors, the file holds ${header.tensors.length}`);
  }
  expected.forEach(({ name, shape }, i) => {
    const stored = header.tensors[i];
    if (stored.name !== name || stored.shape.join(',') !== shape.join(',')) {
      throw new Error(
        `${what}: tensor ${i} is ${stored.name} [${stored.shape.join(', ')}], the recipe expects ` +
          `${name} [${shape.join(', ')}]`,
      );
    }
  });
}
