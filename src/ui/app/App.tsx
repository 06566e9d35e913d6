// The page: wires the URL configuration to the training worker and lays out the panels.
// Decisions are wired here (what a change means for the run: planConfigChange in core/config); panels
// only show state and report input.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { GanConfig, LiveSettings } from '../../core/config/schema';
import { planConfigChange } from '../../core/config/config-change';
import { applyPreset, applySetupPreset, type PresetName } from '../../core/config/presets';
import { AlarmBanner } from '../observatory/AlarmBanner';
import { ChartSettingsBar, ChartSettingsProvider } from '../charts/ChartSettings';
import { CompareChart } from '../runs/CompareChart';
import { CollapseChart } from '../observatory/CollapseChart';
import { DataPanel } from '../settings/DataPanel';
import { ErrorBanner } from './ErrorBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { ExperimentsPanel } from '../experiments/ExperimentsPanel';
import { GradientChart } from '../observatory/GradientChart';
import { Header } from './Header';
import { LipschitzChart } from '../observatory/LipschitzChart';
import { LossChart } from '../observatory/LossChart';
import { ModeChart } from '../samples/ModeChart';
import { ProxyPanel } from '../quality/ProxyPanel';
import { evaluationsOfRun } from '../quality/proxy-state';
import { ResumeOffer } from '../runs/ResumeOffer';
import { RunControls } from '../settings/RunControls';
import { RunList } from '../runs/RunList';
import { useRunList } from '../runs/use-run-list';
import { RunFiles } from '../runs/RunFiles';
import { useRunFiles } from '../runs/use-run-files';
import { useAutosave } from '../runs/use-autosave';
import { SampleCanvas } from '../samples/SampleCanvas';
import { SettingsDrawer } from './SettingsDrawer';
import { SettingsPanel } from '../settings/SettingsPanel';
import { NO_LAYERS } from '../observatory/observatory-rows';
import { SigmaChart } from '../observatory/SigmaChart';
import { SpectrumChart } from '../observatory/SpectrumChart';
import { TabBar, TabPanel } from './Tabs';
import { ToyScatter } from '../samples/ToyScatter';
import { toyDatasetOf } from '../samples/toy-rows';
import { useProxyWorker } from '../quality/use-proxy-worker';
import { useTrainingWorker, type SavedRun } from './use-training-worker';
import { normInUse, seriesUpTo, type TrainingState } from './training-state';
import { useUrlConfig } from './use-url-config';
import { useTab } from './tabs';
import { VarianceChart } from '../observatory/VarianceChart';

export function App() {
  const { config, setConfig, decodeErrors } = useUrlConfig();
  /** The outputs tab shown: the URL's hash (#tab=spectra), never its query (tabs.ts). */
  const [tab, setTab] = useTab();
  const configRef = useRef(config);
  configRef.current = config;
  /** The state as of the last render, for worker callbacks. */
  const stateRef = useRef<TrainingState | null>(null);

  const [state, commands] = useTrainingWorker(config, {
    onSetupRejected: (activeConfig) => {
      if (activeConfig) setConfig(activeConfig);
      commands.setRunNotice(activeConfig ? 'That change could not be applied; the current run goes on.' : null);
    },
    // Dropped files parsed fine: make them the data set (a rebuild even when cifar10 was already chosen).
    onFilesLoaded: () => {
      const next = { ...configRef.current, dataset: 'cifar10' as const };
      setConfig(next);
      commands.setup(next, false);
      commands.setRunNotice('The dropped CIFAR-10 files are now the data set: the run restarted from iteration 0.');
    },
    onGeneratorWeights: (message) => proxyCommands.score(message),
    onRolledBack: (runId, iteration) => proxyCommands.rolledBack(runId, iteration),
    // The checkpoint's buffers move on to the run store worker, which holds the latest (use-autosave.ts).
    onCheckpoint: (checkpoint, runId) => {
      autosave.onCheckpoint(checkpoint, runId);
      runFiles.onCheckpoint(checkpoint, runId);
    },
    // A new worker brings a new backend and device; the run continues from its last good checkpoint,
    // a copy of which the run store hands back (only one of the run shown, not of a run replaced since).
    onDeviceLost: () => {
      const current = stateRef.current;
      void (current ? autosave.heldCheckpoint(current.runId) : Promise.resolve(null))
        .catch(() => null)
        .then((checkpoint) => {
          if (!checkpoint || !current) {
            commands.restartWorker(configRef.current, false);
            commands.setRunNotice(
              'A new worker started on a new device; there was no checkpoint yet, so the run restarted ' +
                'from iteration 0.',
            );
            return;
          }
          const saved = { checkpoint, ...seriesUpTo(current, checkpoint.iteration) };
          commands.restartWorker(checkpoint.config, false, saved);
        });
    },
  });

  const [proxyState, proxyCommands] = useProxyWorker(config, state.iteration, {
    onError: (text) => commands.addMessage('proxy', text),
    onEvaluationSize: (n) => commands.setProxyEvaluationSize(n),
  });
  stateRef.current = state;
  const autosave = useAutosave(state, (text) => commands.addMessage('page', text));
  /** Continues a saved run (the autosave's, or an imported file's) with its settings. */
  const resumeSaved = (saved: SavedRun) => {
    const next = saved.checkpoint.config;
    configRef.current = next;
    setConfig(next);
    commands.resume(next, saved);
  };
  const proxyEvaluations = useMemo(() => evaluationsOfRun(proxyState, state.runId), [proxyState, state.runId]);
  const runFiles = useRunFiles({
    state,
    config,
    proxyEvaluations,
    resume: resumeSaved,
    onError: (text) => commands.addMessage('page', text),
  });

  useEffect(() => {
    for (const text of decodeErrors) commands.addMessage('url', text);
  }, [decodeErrors, commands]);

  const running = state.phase === 'running';

  const normNow = normInUse(state, config.norm);
  const runList = useRunList({ config, normInUse: normNow, state, proxyEvaluations }, (text) =>
    commands.addMessage('page', text),
  );
  const layerNames = state.info?.layerNames ?? NO_LAYERS;
  /** The run trains on 2-D points (ring8, grid25): the scatter and mode count replace the image grid. */
  const pointData = state.info?.sampleShape.length === 1;
  const toyName = toyDatasetOf(state.info?.datasetName);

  /**
   * Applies a new config as planConfigChange says: a new worker, a rebuild, or only the changed live
   * fields to the running trainer. `forcedLive` is sent even when the config does not change (picking
   * the URL's norm back after a scheduled switch).
   */
  const changeConfig = useCallback(
    (next: GanConfig, forcedLive: Partial<LiveSettings> = {}) => {
      const plan = planConfigChange(configRef.current, next, forcedLive);
      if (plan.kind === 'none') return;
      configRef.current = next; // two changes before the next render must not read a stale config
      setConfig(next);
      if (plan.kind === 'new-worker') {
        commands.restartWorker(next, running);
        commands.setRunNotice(
          `${plan.fields.join(', ')} changed: a new worker started and the run restarted from iteration 0.`,
        );
      } else if (plan.kind === 'rebuild') {
        commands.setup(next, running);
        commands.setRunNotice(
          `${plan.fields.join(', ')} changed: the run restarted from iteration 0 (a new model is needed).`,
        );
      } else {
        commands.applyLive(plan.settings);
        commands.setRunNotice(`${plan.fields.join(', ')} applied live at iteration ${state.iteration}.`);
      }
    },
    [commands, running, setConfig, state.iteration],
  );

  const onFieldChange = (key: keyof GanConfig, value: GanConfig[keyof GanConfig]) => {
    const next = { ...configRef.current, [key]: value };
    // The select shows the method in use, which a scheduled switch may have made differ from the URL's.
    const forced: Partial<LiveSettings> =
      key === 'norm' && value !== normNow ? { norm: value as GanConfig['norm'] } : {};
    changeConfig(next, forced);
  };
  const onPreset = (name: PresetName) => changeConfig(applyPreset(configRef.current, name));
  const onSetupPreset = (id: string) => changeConfig(applySetupPreset(configRef.current, id));
  const onFiles = (files: File[]) => {
    commands.loadFiles(files);
    proxyCommands.loadFiles(files);
  };

  const onReset = () => {
    if (state.fatal) commands.restartWorker(config, false);
    else commands.setup(config, false);
    commands.setRunNotice(null);
  };

  return (
    <div className="app">
      <Header
        backend={state.backend}
        notice={state.backendNotice}
        adapter={state.backendAdapter}
        calibration={state.backendCalibration}
      />
      <ErrorBanner messages={state.messages} onDismiss={commands.dismissMessage} />
      <ResumeOffer view={autosave} onResume={resumeSaved} />
      <RunControls
        phase={state.phase}
        phaseDetail={state.phaseDetail}
        iteration={state.iteration}
        iterationsPerSecond={state.iterationsPerSecond}
        runNotice={state.runNotice}
        rollbackIteration={state.divergence?.rollbackIteration ?? null}
        onRollback={commands.rollback}
        onToggle={running ? commands.pause : commands.play}
        onStep={commands.step}
        onReset={onReset}
      />
      <ErrorBoundary name="The experiments panel">
        {/* Opening an experiment run sets the URL's fields and starts it afresh, paused (as Reset does). */}
        <ExperimentsPanel
          config={config}
          state={state}
          kept={runList.kept}
          proxyEvaluations={proxyEvaluations}
          onOpen={(next) => {
            configRef.current = next;
            setConfig(next);
            commands.setup(next, false);
            commands.setRunNotice('An experiment run was opened: a fresh run at iteration 0; press Train.');
          }}
        />
      </ErrorBoundary>
      <div className="workspace">
        <SettingsDrawer>
          <ErrorBoundary name="The data panel">
            <DataPanel
              config={config}
              data={state.data}
              uploadedFiles={state.uploadedFiles}
              checkingFiles={state.checkingFiles}
              onFieldChange={onFieldChange}
              onFiles={onFiles}
            />
          </ErrorBoundary>
          <ErrorBoundary name="The settings">
            <SettingsPanel
              config={config}
              normInUse={normNow}
              onFieldChange={onFieldChange}
              onPreset={onPreset}
              onSetupPreset={onSetupPreset}
            />
          </ErrorBoundary>
        </SettingsDrawer>
        <ChartSettingsProvider>
          <main className="outputs" aria-label="Outputs">
            <TabBar tab={tab} onTab={setTab}>
              <ErrorBoundary name="The chart settings">
                <ChartSettingsBar />
              </ErrorBoundary>
            </TabBar>
            <AlarmBanner alarms={state.alarms} />
            {/* Training: what the first screen shows (tests/e2e/first-screen.spec.ts checks it fits). */}
            <TabPanel id="overview" tab={tab}>
              {pointData ? (
                <ErrorBoundary name="The scatter plot">
                  <ToyScatter
                    dataset={toyName}
                    toyPoints={state.toyPoints}
                    realPoints={state.realPoints}
                    toyField={state.toyField}
                  />
                </ErrorBoundary>
              ) : (
                <ErrorBoundary name="The samples">
                  <SampleCanvas grid={state.samples} />
                </ErrorBoundary>
              )}
              <ErrorBoundary name="The loss chart">
                <LossChart history={state.history} switches={state.normSwitches} alarms={state.alarms} />
              </ErrorBoundary>
              <ErrorBoundary name="The sigma chart">
                <SigmaChart
                  history={state.history}
                  layerNames={layerNames}
                  spectra={state.spectra}
                  switches={state.normSwitches}
                  alarms={state.alarms}
                />
              </ErrorBoundary>
              <ErrorBoundary name="The spectrum chart">
                <SpectrumChart spectra={state.spectra} skipped={state.spectraSkipped} />
              </ErrorBoundary>
              <ErrorBoundary name="The collapse chart">
                <CollapseChart
                  spectra={state.spectra}
                  switches={state.normSwitches}
                  alarms={state.alarms}
                  collapseDrop={config.collapsedrop}
                  collapseWindow={config.collapsewindow}
                  collapsePersist={config.collapsepersist}
                />
              </ErrorBoundary>
            </TabPanel>
            <TabPanel id="spectra" tab={tab}>
              <ErrorBoundary name="The gradient chart">
                <GradientChart
                  history={state.history}
                  layerNames={layerNames}
                  switches={state.normSwitches}
                  alarms={state.alarms}
                />
              </ErrorBoundary>
              <ErrorBoundary name="The Lipschitz chart">
                <LipschitzChart
                  history={state.history}
                  spectra={state.spectra}
                  switches={state.normSwitches}
                  alarms={state.alarms}
                />
              </ErrorBoundary>
              <ErrorBoundary name="The variance chart">
                <VarianceChart spectra={state.spectra} switches={state.normSwitches} alarms={state.alarms} />
              </ErrorBoundary>
            </TabPanel>
            <TabPanel id="quality" tab={tab}>
              {pointData && (
                <ErrorBoundary name="The mode chart">
                  <ModeChart history={state.coverageHistory} switches={state.normSwitches} alarms={state.alarms} />
                </ErrorBoundary>
              )}
              <ErrorBoundary name="The sample-quality panel">
                <ProxyPanel
                  state={proxyState}
                  evaluations={proxyEvaluations}
                  proxyEvery={config.proxyevery}
                  requestedN={config.proxyn}
                  recipe={config.proxy}
                  pointData={pointData}
                  switches={state.normSwitches}
                  alarms={state.alarms}
                  onTrain={proxyCommands.train}
                  onExport={proxyCommands.exportProxy}
                  onImport={proxyCommands.importFile}
                />
              </ErrorBoundary>
            </TabPanel>
            <TabPanel id="runs" tab={tab}>
              <ErrorBoundary name="The run files bar">
                <RunFiles view={runFiles} />
              </ErrorBoundary>
              <ErrorBoundary name="The run list">
                <RunList
                  kept={runList.kept}
                  live={runList.live}
                  onKeep={runList.keep}
                  onRemove={runList.remove}
                  onOverlaid={runList.setOverlaid}
                  onOpenFiles={(files) => void runList.openFiles(files)}
                />
              </ErrorBoundary>
              <ErrorBoundary name="The comparison chart">
                <CompareChart lines={runList.lines} />
              </ErrorBoundary>
            </TabPanel>
          </main>
        </ChartSettingsProvider>
      </div>
      <footer className="app-footer">
        {state.info && (
          <span>
            D {state.info.parameterCount.discriminator.toLocaleString()} parameters · G{' '}
            {state.info.parameterCount.generator.toLocaleString()} parameters · {state.info.datasetCount}{' '}
            {pointData ? 'points' : 'images'}
          </span>
        )}
      </footer>
    </div>
  );
}
