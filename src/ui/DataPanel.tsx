// The data panel: which images the GAN learns from, and the files behind `cifar10`.
import { CIFAR10_CLASS_NAMES } from '../core/data/cifar10-reader';
import { SHAPE_CLASS_NAMES } from '../core/data/shapes-dataset';
import { fieldSpec, type GanConfig } from '../core/config/schema';
import { FieldControl } from './FieldControl';
import { FileDrop } from './FileDrop';
import type { TrainingState } from './training-state';

interface Props {
  config: GanConfig;
  data: TrainingState['data'];
  uploadedFiles: readonly string[];
  checkingFiles: readonly string[];
  onFieldChange(key: keyof GanConfig, value: GanConfig[keyof GanConfig]): void;
  onFiles(files: File[]): void;
}

export function DataPanel({ config, data, uploadedFiles, checkingFiles, onFieldChange, onFiles }: Props) {
  const classNames = config.dataset === 'cifar10' ? CIFAR10_CLASS_NAMES : SHAPE_CLASS_NAMES;
  return (
    <section className="panel data-panel" aria-label="Data">
      <h2>Data</h2>
      <FieldControl spec={fieldSpec('dataset')} config={config} onChange={onFieldChange} />
      <FieldControl spec={fieldSpec('classes')} config={config} onChange={onFieldChange} classNames={classNames} />
      <FieldControl spec={fieldSpec('subset')} config={config} onChange={onFieldChange} />
      <p className="data-summary" data-testid="data-summary">
        {data ? (
          <>
            In use: <strong>{data.name}</strong> ({data.count} images)
          </>
        ) : (
          'Loading data…'
        )}
      </p>
      {data?.shortfall && <p className="hint">{data.shortfall}</p>}
      <FileDrop onFiles={onFiles} loadedFiles={uploadedFiles} checkingFiles={checkingFiles} />
      <p className="hint">
        Dropped files stay in this tab. A shared link only says <code>dataset=cifar10</code>: the other page reads CIFAR-10 from
        its server (<code>npm run data:cifar10</code>) or from files dropped there.
      </p>
    </section>
  );
}
