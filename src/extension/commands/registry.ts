/**
 * Registering the commands. Each feature module returns the handlers of its
 * commands; main.ts spreads them into one `CommandHandlers`, which the
 * compiler checks is complete: a command in the Commands enum without a
 * handler does not build.
 */
import * as vscode from 'vscode';
import { ALL_COMMANDS, type CommandArgs, type CommandResults, type Commands } from '../contributions';
import { UserCancelled } from '../errors';
import type { MessageLog } from '../messages';

export type CommandHandlers = { [K in Commands]: (...args: CommandArgs[K]) => Promise<CommandResults[K]> };

/**
 * Registers every command. A command resolves with what it showed, or
 * undefined when it failed or was cancelled; failures are told to the user
 * here, and only here (errors.ts words them).
 */
export function registerCommands(handlers: CommandHandlers, messages: MessageLog): vscode.Disposable[] {
  return ALL_COMMANDS.map((command) => {
    const handler = handlers[command] as (...args: unknown[]) => Promise<unknown>;
    return vscode.commands.registerCommand(command, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        if (!(error instanceof UserCancelled)) messages.error(error);
        return undefined;
      }
    });
  });
}
