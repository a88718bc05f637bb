/**
 * Show Retainers (the Variables / Watch context menu of a paused debug
 * session) and Show Retainers of Expression…: evaluate, snapshot, walk.
 */
import { Commands } from '../contributions';
import { describeError, UserFacingError } from '../errors';
import { GLOBAL_EXPRESSION_EXAMPLE } from '../examples';
import { withExpression } from '../expressionPrompt';
import type { Services } from '../services';
import { isPaused } from '../targets/debugSessionTracker';
import { evaluateNameForRetainers } from '../targets/debugSessions';
import type { CommandHandlers } from './registry';

export function expressionCommands({ targets, show, expressions }: Services): Pick<CommandHandlers, Commands.ShowRetainers | Commands.ShowRetainersOfExpression> {
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
      const where = session ? (isPaused(session) ? 'the selected stack frame' : 'the global scope (the program is running)') : 'the global scope';
      const frame = session ? { session, frame: args.frameIndex ?? ('selected' as const) } : undefined;
      const question = {
        title: `Show Retainers of Expression — ${target.label}`,
        prompt: `A JavaScript expression for the object, evaluated in ${where}`,
        placeholder: GLOBAL_EXPRESSION_EXAMPLE,
        history: expressions.recent,
      };
      return withExpression(args.expression, question, expressions, (expression) => show.expression(target, expression, frame), describeError);
    },
  };
}
