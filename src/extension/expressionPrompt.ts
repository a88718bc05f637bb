/**
 * Asking for the expression to walk: recent expressions offered first, and
 * after one fails the box comes back on the same target with the text kept
 * and the reason in its title, so the user edits rather than starts over.
 */
import * as vscode from 'vscode';
import { ExpressionError, PrimitiveValueError } from '../inspector';
import { ObjectCollectedError, UserCancelled } from './errors';

/** The last expressions that showed a graph, most recent first, kept across sessions. */
export class ExpressionHistory {
  private static readonly KEY = 'retainerGraph.recentExpressions';
  private static readonly LIMIT = 10;

  constructor(private readonly state: vscode.Memento) {}

  get recent(): string[] {
    const saved = this.state.get<unknown>(ExpressionHistory.KEY);
    return Array.isArray(saved) ? saved.filter((item): item is string => typeof item === 'string') : [];
  }

  remember(expression: string): Thenable<void> {
    const text = expression.trim();
    const rest = this.recent.filter((item) => item !== text);
    return this.state.update(ExpressionHistory.KEY, [text, ...rest].slice(0, ExpressionHistory.LIMIT));
  }
}

/** Failures of the expression itself (it threw, it is a primitive, its value is gone): worth editing and trying again. */
export function isExpressionFailure(error: unknown): boolean {
  return error instanceof ExpressionError || error instanceof PrimitiveValueError || error instanceof ObjectCollectedError;
}

export interface ExpressionQuestion {
  title: string;
  /** What the expression is evaluated in, for the placeholder line. */
  prompt: string;
  placeholder: string;
  history: readonly string[];
  /** Text to start from (the expression that just failed). */
  value?: string;
  /** Why the last try failed, in the user's words. */
  failure?: string;
  /** What an empty answer does (Attach: pick a class); undefined when an expression is required. */
  emptyMeans?: string;
}

/** A row: the text in the box ('typed', whatever it is by the time Enter lands) or a recent expression. */
type Item = vscode.QuickPickItem & { expression: string; typed: boolean };

/** Resolves with the expression typed or picked ('' for the empty choice); UserCancelled on Escape. */
export async function askExpression(question: ExpressionQuestion): Promise<string> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = question.failure ? `${question.failure} Edit the expression, or press Escape.` : question.title;
  pick.placeholder = `${question.prompt} — e.g. ${question.placeholder}`;
  pick.ignoreFocusOut = true;
  pick.value = question.value ?? '';
  pick.matchOnDescription = false;
  const recent = question.history.map((expression): Item => ({ label: expression, description: 'recent', expression, typed: false }));
  const typed = (value: string): Item[] => {
    if (value.trim() === '') return question.emptyMeans ? [{ label: '$(symbol-class) Pick a class instead', description: question.emptyMeans, expression: '', alwaysShow: true, typed: true }] : [];
    return [{ label: value, description: 'evaluate this', expression: value, alwaysShow: true, typed: true }];
  };
  const refresh = (): void => {
    pick.items = [...typed(pick.value), ...recent.filter((item) => item.expression !== pick.value)];
  };
  refresh();
  pick.onDidChangeValue(refresh);
  const chosen = await new Promise<Item | undefined>((resolve) => {
    pick.onDidAccept(() => {
      const active = pick.activeItems[0];
      // The rows follow the text a moment late (they come from the extension host): the box itself is the answer, unless a recent one was chosen.
      if (!active || active.typed) {
        if (pick.value.trim() !== '' || question.emptyMeans) resolve({ label: pick.value, expression: pick.value, typed: true });
        return; // Enter on an empty box that needs an expression: nothing to do yet
      }
      resolve(active);
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (!chosen) throw new UserCancelled();
  return chosen.expression;
}

/**
 * Asks (unless `given`), runs `use`, and on a failure of the expression itself
 * asks again on the same target with the text kept and the reason shown.
 * A scripted call (`given`) fails as it is: there is nobody to ask.
 */
export async function withExpression<T>(given: string | undefined, question: Omit<ExpressionQuestion, 'value' | 'failure'>, history: ExpressionHistory, use: (expression: string) => Promise<T>, describe: (error: unknown) => string): Promise<T> {
  if (given !== undefined) return use(given);
  let value: string | undefined;
  let failure: string | undefined;
  for (;;) {
    const expression = await askExpression({ ...question, value, failure });
    try {
      const result = await use(expression);
      if (expression.trim() !== '') await history.remember(expression);
      return result;
    } catch (error) {
      if (!isExpressionFailure(error)) throw error;
      value = expression;
      failure = describe(error);
    }
  }
}
