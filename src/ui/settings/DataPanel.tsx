// The data panel: which images (or 2-D points) the GAN learns from, and the files behind `cifar10`.
import { CIFAR10_CLASS_NAMES } from '../../core/data/cifar10-reader';
import { SHAPE_CLASS_NAMES } from '../../core/data/shapes-dataset';
import { fieldSpec, isToyDataset, type GanConfig } from '../../core/config/schema';
import { FieldControl } from './FieldControl';
import { FileDrop } from './FileDrop';
import type { TrainingState } from '../app/training-state';
import { toyDatasetOf, toyDescription } from '../samples/toy-rows';

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
  const toyChosen = isToyDataset(config.dataset) ? config.dataset : null;
  const toyInUse = toyDatasetOf(data?.name);
  return (
    <section className="panel data-panel" aria-label="Data">
      <h2>Data</h2>
      <FieldControl spec={fieldSpec('dataset')} config={config} onChange={onFieldChange} />
      {toyChosen ? (
        <p className="hint" data-testid="toy-description">
          {toyDescription(toyChosen)}: 2-D points, drawn once from a fixed seed (no classes).
        </p>
      ) : (
        <FieldControl spec={fieldSpec('classes')} config={config} onChange={onFieldChange} classNames={classNames} />
      )}
      <FieldControl spec={fieldSpec('subset')} config={config} onChange={onFieldChange} />
      <p className="data-summary" data-testid="data-summary">
        {data && toyInUse ? (
          <>
            In use: <strong>{toyInUse}</strong>, {toyDescription(toyInUse)} ({data.count} points)
          </>
        ) : data ? (
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
        Dropped files stay in this tab. A shared link only says <code>dataset=cifar10</code>: the other page reads
        CIFAR-10 from its server (<code>npm run data:cifar10</code>) or from files dropped there.
      </p>
    </section>
  );
}
