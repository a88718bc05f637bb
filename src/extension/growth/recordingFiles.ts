/**
 * A recording's snapshots on disk, exactly as V8 wrote them: each capture's
 * chunks are appended to a file while they stream into the engine (cheap;
 * the engine itself keeps only digests of the older snapshots), kept while
 * the recording lives, copied when the user saves them, deleted on release.
 * They live under the extension's global storage rather than os.tmpdir()
 * (often a RAM disk), one folder per recording whose name starts with this
 * extension host's pid, so the folders of a host that died are removed at
 * the next activation.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** One snapshot being written. */
export class SnapshotFileWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  write(chunk: string): void {
    if (!this.failure && !this.stream.destroyed) this.stream.write(chunk);
  }

  /** Resolves with the path once every chunk is on disk, or with null when writing failed. */
  finish(): Promise<string | null> {
    return new Promise((resolve) => {
      if (this.failure || this.stream.destroyed) return resolve(null);
      this.stream.once('error', () => resolve(null));
      this.stream.end(() => resolve(this.failure ? null : this.path));
    });
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.path, { force: true });
  }
}

export class RecordingFiles {
  private constructor(private readonly folder: string) {}

  static async create(root: string): Promise<RecordingFiles> {
    await mkdir(root, { recursive: true });
    return new RecordingFiles(await mkdtemp(join(root, `${process.pid}-`)));
  }

  writer(index: number): SnapshotFileWriter {
    return new SnapshotFileWriter(join(this.folder, `snapshot-${index}.heapsnapshot`));
  }

  /**
   * Copies `files` into `folder` as `<stem>-1.heapsnapshot`, `-2`, …, oldest
   * first; never over an existing file.
   */
  static async save(files: readonly string[], folder: string, stem: string): Promise<string[]> {
    const saved: string[] = [];
    for (const [i, file] of files.entries()) {
      const target = join(folder, `${stem}-${i + 1}.heapsnapshot`);
      await copyFile(file, target, constants.COPYFILE_EXCL);
      saved.push(target);
    }
    return saved;
  }

  async dispose(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** Removes the recording folders of extension hosts that are no longer running. */
export async function removeStaleRecordings(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return; // nothing recorded yet
  }
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (!pid || pid === process.pid || isRunning(pid)) return;
      await rm(join(root, name), { recursive: true, force: true });
    }),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
