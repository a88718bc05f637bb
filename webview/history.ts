/**
 * Back and forward through the walks one graph panel has shown, as in an
 * editor's navigation history: "Walk from here" and "Show what it holds"
 * push, a re-walk of the same question (depth, fan-out, toggles, ignored
 * retainers) replaces. Only the shown walk is kept whole in the saved state;
 * the others are kept as the question, walked again when returned to after
 * a reload.
 */
import type { Walk, WalkDirection, WalkOptions } from '../src/protocol/walk';

/** Enough to ask the host for a walk again. */
export interface WalkQuestion {
  target: number;
  direction: WalkDirection;
  options: WalkOptions;
}

export interface HistoryEntry {
  title: string;
  question: WalkQuestion;
  /** The walk as last shown; absent for entries restored from saved state. */
  walk?: Walk;
}

/** What the saved state keeps: the questions and titles, and where the user is. */
export interface SavedHistory {
  entries: { title: string; question: WalkQuestion }[];
  position: number;
}

/** Older entries fall off past this many. */
const LIMIT = 50;

export function questionOf(walk: Walk): WalkQuestion {
  return { target: walk.target, direction: walk.direction ?? 'retainers', options: walk.options };
}

export class WalkHistory {
  private entries: HistoryEntry[] = [];
  private position = -1;

  get current(): HistoryEntry | undefined {
    return this.entries[this.position];
  }

  get canGoBack(): boolean {
    return this.position > 0;
  }

  get canGoForward(): boolean {
    return this.position < this.entries.length - 1;
  }

  /** The entry before the current one, for the Back button's tooltip. */
  get previous(): HistoryEntry | undefined {
    return this.entries[this.position - 1];
  }

  get next(): HistoryEntry | undefined {
    return this.entries[this.position + 1];
  }

  /** A new place: drops what was forward of here. */
  push(walk: Walk, title: string): void {
    this.entries.splice(this.position + 1, Infinity, { title, question: questionOf(walk), walk });
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
    this.position = this.entries.length - 1;
  }

  /** The same place, walked again (new options, sizes filled in). */
  replace(walk: Walk, title = this.current?.title ?? ''): void {
    if (this.position < 0) return this.push(walk, title);
    this.entries[this.position] = { title, question: questionOf(walk), walk };
  }

  /** Moves back (-1) or forward (+1); the entry moved to, if any. */
  go(step: -1 | 1): HistoryEntry | undefined {
    const position = this.position + step;
    if (position < 0 || position >= this.entries.length) return undefined;
    this.position = position;
    return this.entries[position];
  }

  save(): SavedHistory {
    return { entries: this.entries.map(({ title, question }) => ({ title, question })), position: this.position };
  }

  /** Restores saved entries around the shown walk (which the saved state keeps whole). */
  restore(saved: SavedHistory | undefined, walk: Walk, title: string): void {
    if (!saved || saved.entries.length === 0 || saved.position < 0 || saved.position >= saved.entries.length) {
      this.entries = [];
      this.position = -1;
      this.push(walk, title);
      return;
    }
    this.entries = saved.entries.map((entry) => ({ ...entry }));
    this.position = saved.position;
    this.entries[this.position] = { title, question: questionOf(walk), walk };
  }
}
