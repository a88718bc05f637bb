/**
 * Show Retainers (the Variables / Watch context menu of a paused debug
 * session) and Show Retainers of Expression…: evaluate, snapshot, walk.
 */
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { UserCancelled, UserFacingError } from '../errors';
import type { Services } from '../services';
import { isPaused } from '../targets/debugSessionTracker';
import { evaluateNameForRetainers } from '../targets/debugSessions';
import type { CommandHandlers } from './registry';

export function expressionCommands({ targets, show }: Services): Pick<CommandHandlers, Commands.ShowRetainers | Commands.ShowRetainersOfExpression> {
  return {
    [Commands.ShowRetainers]: async (arg) => {
      if (!arg?.variable) throw new UserFacingError('Run "Show Retainers" from the Variables or Watch view of a paused Node.js debug session.');
      const evaluateName = arg.variable.evaluateName;
      if (!evaluateName) throw new UserFacingError(`VS Code cannot name "${arg.variable.name}" as an expression; use "Show Retainers of Expression…" instead.`);
      const { target, session } = targets.debugSession(arg.sessionId);
      return show.expression(target, evaluateNameForRetainers(evaluateName), { session, frame: 'selected' }, arg.variable.name);
    },

    [Commands.ShowRetainersOfExpression]: async (args = {}) => {
      const { target, session } = await targets.resolve(args.target);
      let expression = args.expression;
      if (expression === undefined) {
        const where = session ? (isPaused(session) ? 'the selected stack frame' : 'the global scope (the program is running)') : 'the global scope';
        expression = await vscode.window.showInputBox({
          title: `Show Retainers of Expression — ${target.label}`,
          prompt: `A JavaScript expression for the object, evaluated in ${where}`,
          placeHolder: 'Processor.instanceMap.get("bot3")',
          ignoreFocusOut: true,
        });
        if (!expression) throw new UserCancelled();
      }
      const frame = session ? { session, frame: args.frameIndex ?? ('selected' as const) } : undefined;
      return show.expression(target, expression, frame);
    },
  };
}
