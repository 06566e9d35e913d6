// Links written by earlier builds of the page must keep opening the same run. Each fixture below is
// what that build's own encodeConfig wrote (generated from `git archive <commit> src`), for its
// default configuration and for a customized one. A later change that renames, drops or narrows a
// field fails here, which is the moment to raise CONFIG_VERSION and read the older links explicitly.
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, defaultConfig } from '../../../../src/core/config/schema';
import { decodeConfig, encodeConfig } from '../../../../src/core/config/url-codec';

const LINKS_OF_EARLIER_BUILDS: [build: string, query: string][] = [
  [
    'd8e5029 (first codec)',
    'v=1&dataset=shapes&classes=0,1,2,3,4,5,6,7,8,9&subset=5000&arch=cnn&ch=64&gch=64&zdim=128&' +
      'batch=64&loss=hinge&lr=0.0002&beta1=0.5&beta2=0.999&ndis=1&seed=1&norm=sn&sniters=1&backend=auto&every=5',
  ],
  [
    'd8e5029 (first codec)',
    'v=1&dataset=shapes&classes=0,1,2,3,4,5,6,7,8,9&subset=5000&arch=cnn&ch=16&gch=16&zdim=128&' +
      'batch=32&loss=hinge&lr=0.0001&beta1=0.5&beta2=0.999&ndis=1&seed=7&norm=sn&sniters=1&backend=auto&every=5',
  ],
  [
    '6d26812 (methods, schedule)',
    'v=1&dataset=shapes&classes=0,1,2,3,4,5,6,7,8,9&subset=5000&arch=cnn&ch=16&gch=16&zdim=128&' +
      'batch=32&loss=hinge&lr=0.0001&beta1=0.5&beta2=0.999&ndis=1&seed=7&norm=sn&sniters=1&bssnc=1&' +
      'srfrac=0.5&srevery=5&orthobeta=0.0001&clipc=0.01&schedule=&backend=auto&every=5',
  ],
  [
    '3e6cd57 (spectra)',
    'v=1&dataset=shapes&classes=0,1,2,3,4,5,6,7,8,9&subset=5000&arch=cnn&ch=16&gch=16&zdim=128&' +
      'batch=32&loss=hinge&lr=0.0001&beta1=0.5&beta2=0.999&ndis=1&seed=7&norm=sn&sniters=1&bssnc=1&' +
      'srfrac=0.5&srevery=5&orthobeta=0.0001&clipc=0.01&schedule=&backend=auto&every=5&spectra=100&' +
      'collapsedrop=0.5&collapsewindow=10',
  ],
  [
    '5d0fb3d (proxies)',
    'v=1&dataset=shapes&classes=0,1,2,3,4,5,6,7,8,9&subset=5000&arch=cnn&ch=16&gch=16&zdim=128&' +
      'batch=32&loss=hinge&lr=0.0001&beta1=0.5&beta2=0.999&ndis=1&seed=7&norm=sn&sniters=1&bssnc=1&' +
      'srfrac=0.5&srevery=5&orthobeta=0.0001&clipc=0.01&schedule=&backend=auto&every=5&spectra=100&' +
      'collapsedrop=0.5&collapsewindow=10&proxy=default&proxyevery=500&proxyn=500',
  ],
];

describe('links written by earlier builds', () => {
  for (const [build, query] of LINKS_OF_EARLIER_BUILDS) {
    it(`open without a message and keep every field: ${build}, ${query.length} characters`, () => {
      const { config, errors } = decodeConfig(query);
      expect(errors).toEqual([]);
      // Every field the old link wrote is written back unchanged by today's encoder.
      const today = new URLSearchParams(encodeConfig(config));
      for (const [key, value] of new URLSearchParams(query)) expect(`${key}=${today.get(key)}`).toBe(`${key}=${value}`);
      // Fields the old build did not have get today's defaults.
      const old = new Set(new URLSearchParams(query).keys());
      const defaults = new URLSearchParams(encodeConfig(defaultConfig()));
      for (const [key, value] of today)
        if (!old.has(key)) expect(`${key}=${value}`).toBe(`${key}=${defaults.get(key)}`);
    });
  }
});

describe('a link of a newer version than this page', () => {
  it('opens with a message naming its version, keeps the fields this page knows and names the others', () => {
    const newer = CONFIG_VERSION + 1;
    const { config, errors } = decodeConfig(`v=${newer}&norm=sr-static&batch=32&dlr=0.0004&norm2=ortho&ch=9999`);
    expect(errors[0]).toBe(
      `v=${newer}: this link was made by a newer version of the playground (this page reads ` +
        `v=${CONFIG_VERSION}); every field it knows is used, and any it could not keep is named here`,
    );
    expect(config.v).toBe(CONFIG_VERSION);
    expect(config.norm).toBe('sr-static');
    expect(config.batch).toBe(32);
    expect(errors.slice(1).sort()).toEqual([
      'ch="9999" is out of range [1, 128]; using 64',
      'unknown URL field "dlr" ignored',
      'unknown URL field "norm2" ignored',
    ]);
  });

  it('is not confused with a malformed version, which is reported as a bad value', () => {
    expect(decodeConfig('v=0').errors).toEqual(['v="0" is out of range [1, 1]; using 1']);
    expect(decodeConfig('v=two').errors).toEqual(['v="two" is not a number; using 1']);
    expect(decodeConfig(`v=${CONFIG_VERSION}`).errors).toEqual([]);
  });
});
