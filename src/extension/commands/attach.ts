/** Attach to a Node Process…: pick or type an inspector address, then an expression or a class. */
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { UserCancelled } from '../errors';
import type { Services } from '../services';
import type { CommandHandlers } from './registry';

export function attachCommand({ targets, show }: Services): Pick<CommandHandlers, Commands.Attach> {
  return {
    [Commands.Attach]: async (args = {}) => {
      const target = await targets.attach({ address: args.webSocketUrl || args.address, confirmRemote: args.confirmRemote === true });
      let expression = args.expression;
      if (expression === undefined) {
        expression = await vscode.window.showInputBox({
          title: `Show Retainers in ${target.label}`,
          prompt: 'A JavaScript expression for the object (evaluated in the global scope), or leave empty to pick a class',
          placeHolder: 'globalThis.appCache',
          ignoreFocusOut: true,
        });
        if (expression === undefined) throw new UserCancelled();
      }
      if (expression.trim() === '') return show.classesOf(target, { fresh: true });
      return show.expression(target, expression, undefined);
    },
  };
}
