// The one error type of the data readers (CIFAR-10 files, archives, local folders), so the page and
// the CLIs can tell a bad data file from a bug and say which file and what is wrong.

export type DataFileProblem =
  | 'empty'
  | 'truncated'
  | 'bad-label'
  | 'unknown-name'
  | 'no-batches-in-archive'
  | 'corrupt-gzip'
  | 'corrupt-tar'
  | 'no-matching-images'
  | 'not-found'
  | 'unreadable';

/** Every problem with a data file; the message names the file and what is wrong with it. */
export class DataFileError extends Error {
  readonly fileName: string;
  readonly problem: DataFileProblem;

  constructor(fileName: string, problem: DataFileProblem, detail: string) {
    super(`${fileName}: ${detail}`);
    this.name = 'DataFileError';
    this.fileName = fileName;
    this.problem = problem;
  }
}
