// "What am I looking at": one short note per panel, behind the panel's ? toggle (PanelHeading), saying
// what to look for and which experiments of the gallery (src/core/experiments/catalogue.ts) show it.
import { EXPERIMENTS } from '../../core/experiments/catalogue';
import type { Experiment } from '../../core/experiments/types';
import { hashOfTab, tabOfPanel } from './tabs';

export interface PanelHelp {
  /** What to look for, in a sentence or three. */
  look: string;
  /** Ids of experiments that show it (the first run of each is linked). */
  experiments: readonly string[];
}

export const PANEL_HELP: Readonly<Record<string, PanelHelp>> = {
  samples: {
    look:
      'The same 64 latent vectors at every read-back, so you watch the same images change. Look for blobs ' +
      'turning into shapes; many cells alike is mode collapse; noise or one flat colour is divergence.',
    experiments: ['mode-coverage'],
  },
  'toy-scatter': {
    look:
      'Green (generated) points should settle on every grey mode inside its circle. Piling onto one or two ' +
      'modes is mode collapse. Arrows show where the next G update moves points; the heat map is D.',
    experiments: ['mode-coverage'],
  },
  'chart-loss': {
    look:
      'Healthy training settles into a noisy band rather than a trend. D loss near 0 means D wins outright ' +
      '(G gets little signal); with the hinge loss 2 means D cannot tell real from generated. A jump to ' +
      'NaN pauses the run.',
    experiments: ['mode-coverage'],
  },
  'chart-sigma': {
    look:
      'Under SN these are the values each layer is divided by, so the weight D uses keeps σ = 1 whatever the raw ' +
      'σ does; without normalization they drift. The ◆ (exact s₁) should sit on the lines: if not, the power ' +
      'iteration lags.',
    experiments: ['power-iteration', 'sn-bounds-sigma'],
  },
  'chart-spectrum': {
    look:
      'A curve that stays high across the index means a broad spectrum (many directions in use); a steep ' +
      'drop after the first few values is spectral collapse. In the heat map collapse spreads as dark ' +
      'colour from the right over the iterations.',
    experiments: ['wn-clip-spectrum', 'spectral-collapse-sr'],
  },
  'chart-collapse': {
    look:
      'Each layer should hold steady or recover: every fresh D dips early. A lasting fall (a red alarm mark) ' +
      'is spectral collapse, which the SR-GAN paper ties to mode collapse.',
    experiments: ['spectral-collapse-sr'],
  },
  'chart-gradients': {
    look:
      'Gradients should stay within a few orders of magnitude. A steady climb (exploding) or a slide towards ' +
      '0 (vanishing, as weight clipping does) is what SN avoids.',
    experiments: ['gradient-bounds'],
  },
  'chart-lipschitz': {
    look:
      'Under SN the product of the layers’ σ stays near 1 and |∇ₓD| under it: D is kept 1-Lipschitz. ' +
      'Without normalization both grow.',
    experiments: ['sn-bounds-sigma'],
  },
  'chart-variance': {
    look:
      'Each layer’s Var(W) should sit near or under its bound line; far above it, the layer amplifies its ' +
      'input and gradients grow.',
    experiments: ['gradient-bounds'],
  },
  'chart-modes': {
    look:
      'Modes captured should reach M (every mode) and KL stay near 0. A falling count is mode collapse; ' +
      'compare it with the collapse indicator on the Training tab.',
    experiments: ['mode-coverage', 'spectral-collapse-sr'],
  },
  'chart-proxies': {
    look:
      'IS proxy should rise towards its real-data line and FID and KID proxies fall towards theirs. They come ' +
      'from the page’s own small classifier: compare runs only at the same N and recipe.',
    experiments: ['mode-coverage'],
  },
  'chart-compare': {
    look:
      'The current run (dark, wide) against the runs you kept, on one iteration axis. Keep a run before ' +
      'opening the next one of an experiment.',
    experiments: ['sn-bounds-sigma'],
  },
  'chart-settings': {
    look:
      'Debiased EMA, like TensorBoard, on the lines read back every few iterations (losses, σ estimates, ' +
      'gradients); the raw line stays faint behind. Spectrum-snapshot series are drawn raw. Tooltips and CSV ' +
      'files give the raw values.',
    experiments: [],
  },
};

export interface HelpLink {
  id: string;
  title: string;
  /** A plain link, as the experiments panel's: the first run's query, on the tab of the panel it watches. */
  href: string;
}

function linkOf(experiment: Experiment): HelpLink {
  const tab = tabOfPanel(experiment.watch);
  return {
    id: experiment.id,
    title: experiment.title,
    href: `?${experiment.runs[0].query}${tab ? hashOfTab(tab) : ''}`,
  };
}

export function helpLinks(help: PanelHelp): HelpLink[] {
  return help.experiments.flatMap((id) => {
    const experiment = EXPERIMENTS.find((e) => e.id === id);
    return experiment ? [linkOf(experiment)] : [];
  });
}
