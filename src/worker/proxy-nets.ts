// The proxy worker's nets apart from its state: reading one from the browser's cache, checking an
// imported file, keeping a net in the cache, describing a net to the page, and the run's generator
// rebuilt for scoring. Failures come back as text for the worker to post; nothing here posts.
import type { ProxySplits } from '../core/proxy/proxy-data';
import { ProxyNet } from '../core/proxy/proxy-net';
import { Generator } from '../core/models/generator';
import { IMAGE_SHAPE } from '../core/data/types';
import type { GeneratorSpec } from '../core/train/types';
import { errorText } from '../core/error-text';
import { writeCachedProxy, type CachedProxy } from './proxy-cache';
import type { ProxyInfo } from './proxy-protocol';

/** The cached net of `key`, or null when the entry is another proxy's or was never measured. Throws on bad bytes. */
export function netFromCache(cached: CachedProxy, key: string): ProxyNet | null {
  const net = ProxyNet.deserialize(cached.bytes);
  if (net.key === key && net.testAccuracy !== null) return net;
  net.dispose();
  return null;
}

/** An imported file's net when it is the proxy of `key`; else the reason it is not (nothing is kept). */
export function importedNet(bytes: ArrayBuffer, fileName: string, key: string): ProxyNet | string {
  let net: ProxyNet;
  try {
    net = ProxyNet.deserialize(bytes);
  } catch (error) {
    return `${fileName} was not imported: ${errorText(error)}. The proxy in use is unchanged.`;
  }
  if (net.key === key) return net;
  net.dispose();
  return (
    `${fileName} was not imported: it is the proxy of "${net.key ?? 'unknown data'}", this run needs "${key}" ` +
    '(data, classes, subset and recipe must match). The proxy in use is unchanged.'
  );
}

/** Keeps `bytes` in the browser's cache; a failure only costs the cache, so it is reported, not thrown. */
export async function keepInCache(
  key: string,
  bytes: ArrayBuffer,
  trainSeconds: number | null,
  origin: string,
  onFailure: (reason: string) => void,
): Promise<void> {
  await writeCachedProxy(key, { bytes, trainSeconds, origin, savedAt: new Date().toISOString() }).catch(
    (error: unknown) => onFailure(errorText(error)),
  );
}

/** What the page shows of a proxy net trained, loaded or imported for `splits`. */
export function proxyInfoOf(
  net: ProxyNet,
  splits: ProxySplits,
  source: ProxyInfo['source'],
  trainSeconds: number | null,
  origin: string,
): ProxyInfo {
  return {
    key: net.key ?? '',
    recipeName: net.recipe.name,
    accuracy: net.testAccuracy ?? NaN,
    trainSeconds,
    source,
    backend: origin,
    classNames: [...(net.classNames ?? splits.classNames)],
    featureDimension: net.featureDimension,
    parameterCount: net.parameterCount(),
    trainCount: splits.train.count,
    heldOutCount: splits.heldOut.count,
  };
}

/** The run's generator rebuilt here (by spec) once, reloaded with each copy of the weights. */
export class GeneratorCache {
  private current: { key: string; instance: Generator } | null = null;

  generatorFor(spec: GeneratorSpec): Generator {
    const key = JSON.stringify([spec.arch, spec.gch, spec.zdim, spec.seed]);
    if (this.current?.key !== key) {
      this.current?.instance.dispose();
      this.current = { key, instance: new Generator(spec.arch, spec.gch, spec.zdim, spec.seed, IMAGE_SHAPE) };
    }
    return this.current.instance;
  }
}
