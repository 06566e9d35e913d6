// The configuration lives in the URL: decoded once on load (rejected fields are reported, their
// defaults used), then every change rewrites the query string in place. replaceState, not
// pushState: tweaking a control should not fill the Back button's history.
import { useEffect, useState } from 'react';
import type { GanConfig } from '../../core/config/schema';
import { decodeConfig, encodeConfig } from '../../core/config/url-codec';

export interface UrlConfig {
  config: GanConfig;
  setConfig(next: GanConfig): void;
  /** Messages for fields of the opening URL that were rejected. */
  decodeErrors: string[];
}

export function canonicalUrl(config: GanConfig): string {
  return `${window.location.pathname}?${encodeConfig(config)}${window.location.hash}`;
}

export function useUrlConfig(): UrlConfig {
  const [decoded] = useState(() => decodeConfig(window.location.search));
  const [config, setConfig] = useState<GanConfig>(decoded.config);

  useEffect(() => {
    const url = canonicalUrl(config);
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(window.history.state, '', url);
    }
  }, [config]);

  return { config, setConfig, decodeErrors: decoded.errors };
}
