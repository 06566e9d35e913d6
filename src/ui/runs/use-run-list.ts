// The run list: runs kept from this page or opened from files (a sweep's runs.json with its run
// files, single metrics JSON files), stored in IndexedDB, and the lines the comparison chart draws:
// the current run and every kept run that is checked.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GanConfig } from '../../core/config/schema';
import { encodeConfig } from '../../core/config/url-codec';
import type { QualityRow } from '../../core/proxy/sample-quality';
import { qualityColumns, runLabel, uniqueName, type ComparableRun } from '../../core/runs/comparable-run';
import { openRunFiles } from '../../core/runs/open-run-files';
import { deleteKeptRun, freeColorIndex, readKeptRuns, writeKeptRun, type KeptRun } from './kept-runs';
import { NO_LAYERS } from '../observatory/observatory-rows';
import type { TrainingState } from '../app/training-state';
import { errorText } from '../../core/error-text';

/** The current run's line: darker and wider than the kept runs'. */
export const LIVE_COLOR = '#212121';
/** Tableau 10: distinct hues for the kept runs (each keeps the index it was given). */
const RUN_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export function keptRunColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length];
}

/** One line of the comparison chart. */
export interface CompareLine {
  key: string;
  run: ComparableRun;
  color: string;
  live: boolean;
}

export interface RunListInput {
  config: GanConfig;
  /** The D normalization in use (a scheduled switch may differ from the URL's). */
  normInUse: string;
  state: TrainingState;
  proxyEvaluations: readonly QualityRow[];
}

export interface RunListControls {
  kept: KeptRun[];
  /** The current run as a comparable run; null before its first read-back. */
  live: ComparableRun | null;
  lines: CompareLine[];
  keep: () => void;
  remove: (id: string) => void;
  setOverlaid: (id: string, overlaid: boolean) => void;
  openFiles: (files: readonly File[]) => Promise<void>;
}

let idCounter = 0;
function newId(): string {
  return `run-${Date.now().toString(36)}-${(idCounter++).toString(36)}`;
}

export function useRunList(
  { config, normInUse, state, proxyEvaluations }: RunListInput,
  onMessage: (text: string) => void,
): RunListControls {
  const [kept, setKept] = useState<KeptRun[]>([]);
  const keptRef = useRef(kept);
  keptRef.current = kept;
  const onMessageRef = useRef(onMessage);
  onMessageRef.current = onMessage;

  const saveFailed = useCallback((error: unknown) => {
    onMessageRef.current(
      `The run list could not be saved in this browser (${errorText(error)}); kept runs last until the page closes.`,
    );
  }, []);

  useEffect(() => {
    let cancelled = false;
    readKeptRuns().then(
      ({ runs, unreadable }) => {
        if (cancelled) return;
        // Runs kept before the read finished stay, after the stored ones.
        setKept((before) => [...runs.filter((r) => !before.some((b) => b.id === r.id)), ...before]);
        if (unreadable > 0)
          onMessageRef.current(
            `${unreadable} stored run${unreadable === 1 ? ' was' : 's were'} written by another ` +
              `version and could not be read; skipped.`,
          );
      },
      (error: unknown) => !cancelled && saveFailed(error),
    );
    return () => {
      cancelled = true;
    };
  }, [saveFailed]);

  const layerNames = state.info?.layerNames ?? NO_LAYERS;
  const query = useMemo(() => encodeConfig(config), [config]);
  const live = useMemo((): ComparableRun | null => {
    if (state.history.length === 0) return null;
    return {
      name: runLabel(normInUse, config.dataset, state.iteration),
      query,
      source: 'page',
      layerNames: [...layerNames],
      history: state.history,
      proxies: proxyEvaluations.map(qualityColumns),
    };
  }, [state.history, state.iteration, layerNames, proxyEvaluations, normInUse, config.dataset, query]);

  const add = useCallback(
    (runs: readonly ComparableRun[]) => {
      const taken = new Set(keptRef.current.map((k) => k.run.name));
      const colors = keptRef.current.map((k) => k.colorIndex);
      const now = Date.now();
      const added = runs.map((run, i): KeptRun => {
        const name = uniqueName(run.name, taken);
        taken.add(name);
        const colorIndex = freeColorIndex(colors);
        colors.push(colorIndex);
        return { id: newId(), keptAt: now + i, overlaid: true, colorIndex, run: { ...run, name } };
      });
      setKept((before) => [...before, ...added]);
      Promise.all(added.map(writeKeptRun)).catch(saveFailed);
    },
    [saveFailed],
  );

  const keep = useCallback(() => {
    // The chart shows a bounded view; what is kept is the full record.
    if (live) add([{ ...live, history: state.record.metrics.toArray() }]);
  }, [live, add, state.record]);

  const remove = useCallback(
    (id: string) => {
      setKept((before) => before.filter((k) => k.id !== id));
      deleteKeptRun(id).catch(saveFailed);
    },
    [saveFailed],
  );

  const setOverlaid = useCallback(
    (id: string, overlaid: boolean) => {
      const found = keptRef.current.find((k) => k.id === id);
      if (!found) return;
      const next = { ...found, overlaid };
      setKept((before) => before.map((k) => (k.id === id ? next : k)));
      writeKeptRun(next).catch(saveFailed);
    },
    [saveFailed],
  );

  const openFiles = useCallback(
    async (files: readonly File[]) => {
      try {
        const picked = await Promise.all(
          files.map(async (file) => ({ path: file.webkitRelativePath || file.name, text: await file.text() })),
        );
        const { runs, problems } = openRunFiles(picked);
        if (runs.length > 0) add(runs);
        for (const problem of problems) onMessageRef.current(`Run list: ${problem}`);
        if (runs.length === 0 && problems.length === 0) onMessageRef.current('Run list: no files were picked.');
      } catch (error) {
        onMessageRef.current(`Run list: the picked files could not be read (${errorText(error)}).`);
      }
    },
    [add],
  );

  const lines = useMemo((): CompareLine[] => {
    const keptLines = kept.flatMap((k): CompareLine[] =>
      k.overlaid ? [{ key: k.id, run: k.run, color: keptRunColor(k.colorIndex), live: false }] : [],
    );
    return live
      ? [
          { key: 'live', run: { ...live, name: `current run (${live.name})` }, color: LIVE_COLOR, live: true },
          ...keptLines,
        ]
      : keptLines;
  }, [kept, live]);

  return { kept, live, lines, keep, remove, setOverlaid, openFiles };
}
