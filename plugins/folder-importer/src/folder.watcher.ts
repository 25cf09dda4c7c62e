import { watch as fsWatch, type FSWatcher } from 'node:fs';

/** The part of `fs.watch` the watcher uses (tests pass a fake). */
export type WatchFn = (folder: string, options: { recursive: boolean }, listener: () => void) => Pick<FSWatcher, 'close' | 'on'>;

export interface FolderWatcherOptions {
  /** Quiet time after the last change before a rescan is asked for (a copy of 500 files is one rescan). */
  debounceMs: number;
  /** Also rescan every this many minutes (0: only on changes). Catches what the OS did not report (network drives). */
  rescanMinutes: number;
  /** Called with the folder to rescan; errors are reported to `onError`. */
  rescan: (folder: string) => Promise<void>;
  onError: (folder: string, error: unknown) => void;
  watch?: WatchFn;
}

/**
 * Watches folders (recursively, `fs.watch`) and asks for a rescan of a folder once changes have
 * stopped for `debounceMs`, plus every `rescanMinutes`. Rescans of one folder never overlap: a
 * change during a rescan schedules one more after it.
 */
export class FolderWatcher {
  private readonly watchers: Array<Pick<FSWatcher, 'close'>> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly state = new Map<string, { timer?: NodeJS.Timeout; running?: Promise<void>; again: boolean }>();
  private stopped = false;

  constructor(private readonly options: FolderWatcherOptions) {}

  start(folders: readonly string[]): void {
    const watch = this.options.watch ?? ((f, o, l) => fsWatch(f, o, l));
    for (const folder of folders) {
      this.state.set(folder, { again: false });
      try {
        const watcher = watch(folder, { recursive: true }, () => this.changed(folder));
        watcher.on('error', (error: unknown) => this.options.onError(folder, error));
        this.watchers.push(watcher);
      } catch (error) {
        this.options.onError(folder, error);
      }
      if (this.options.rescanMinutes > 0) {
        const every = setInterval(() => void this.run(folder), this.options.rescanMinutes * 60_000);
        every.unref();
        this.timers.add(every);
      }
    }
  }

  /** A change under `folder`: (re)starts its quiet-time timer. */
  changed(folder: string): void {
    const s = this.state.get(folder);
    if (!s || this.stopped) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void this.run(folder);
    }, this.options.debounceMs);
    s.timer.unref();
  }

  /** Rescans now, or once more after the running rescan of the same folder. */
  run(folder: string): Promise<void> {
    const s = this.state.get(folder);
    if (!s || this.stopped) return Promise.resolve();
    if (s.running) {
      s.again = true;
      return s.running;
    }
    s.running = (async () => {
      do {
        s.again = false;
        try {
          await this.options.rescan(folder);
        } catch (error) {
          this.options.onError(folder, error);
        }
      } while (s.again && !this.stopped);
    })().finally(() => (s.running = undefined));
    return s.running;
  }

  /** Stops watching; resolves once running rescans ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.watchers.splice(0)) w.close();
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    const running = [...this.state.values()].map((s) => {
      if (s.timer) clearTimeout(s.timer);
      return s.running;
    });
    await Promise.all(running);
  }
}
