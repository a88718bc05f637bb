/** Attach to a Node Process…: pick or type an inspector address, then an expression or a class. */
import { Commands } from '../contributions';
import { describeError } from '../errors';
import { GLOBAL_EXPRESSION_EXAMPLE } from '../examples';
import { withExpression } from '../expressionPrompt';
import type { Services } from '../services';
import type { CommandHandlers } from './registry';

export function attachCommand({ targets, show, expressions }: Services): Pick<CommandHandlers, Commands.Attach> {
  return {
    [Commands.Attach]: async (args = {}) => {
      const target = await targets.attach({ address: args.webSocketUrl || args.address, confirmRemote: args.confirmRemote === true });
      // A failed expression asks again on this same process, the text kept.
      const question = {
        title: `Show Retainers in ${target.label}`,
        prompt: 'A JavaScript expression for the object (evaluated in the global scope), or leave empty to pick a class',
        placeholder: GLOBAL_EXPRESSION_EXAMPLE,
        history: expressions.recent,
        emptyMeans: 'leave the box empty to pick a class and an instance',
      };
      return withExpression(
        args.expression,
        question,
        expressions,
        (expression) => (expression.trim() === '' ? show.classesOf(target, { fresh: true }) : show.expression(target, expression, undefined)),
        describeError,
      );
    },
  };
}
