// A file picker and drop zone for the official CIFAR-10 binary files. The File objects go to the
// worker untouched; it reads, parses and validates them (and names the file when one is wrong).
import { useState, type DragEvent } from 'react';

interface Props {
  onFiles(files: File[]): void;
  /** Files the worker accepted last, shown as a reminder of what `cifar10` means right now. */
  loadedFiles: readonly string[];
  checkingFiles: readonly string[];
}

export function FileDrop({ onFiles, loadedFiles, checkingFiles }: Props) {
  const [dragging, setDragging] = useState(false);

  const accept = (list: FileList | null) => {
    if (list && list.length > 0) onFiles([...list]);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    accept(event.dataTransfer.files);
  };

  return (
    <div
      className={`drop-zone${dragging ? ' dragging' : ''}`}
      data-testid="cifar-drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p>
        Drop official CIFAR-10 binary files here (<code>data_batch_1.bin</code> … <code>test_batch.bin</code> or{' '}
        <code>cifar-10-binary.tar.gz</code>), or{' '}
        <label className="file-picker">
          choose files
          <input
            type="file"
            multiple
            accept=".bin,.gz,.tgz,.tar"
            data-testid="cifar-file-input"
            onChange={(e) => {
              accept(e.target.files);
              e.target.value = ''; // picking the same file again should load it again
            }}
          />
        </label>
        .
      </p>
      {checkingFiles.length > 0 && <p className="hint">Checking {checkingFiles.join(', ')}…</p>}
      {checkingFiles.length === 0 && loadedFiles.length > 0 && (
        <p className="hint">Loaded from: {loadedFiles.join(', ')}</p>
      )}
    </div>
  );
}
