import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('lsp')
    .description('run the language server (Language Server Protocol over stdin/stdout), as editors start it')
    .option('--stdio', 'talk over stdin and stdout (the default, and what editors pass)')
    .addHelpText('after', '\nExample (what an editor runs):\n  $ mlc lsp --stdio')
    .action(async () => {
      // Loaded only here: `mlc check` and friends never pay for the protocol library.
      const { startServer } = await import('../../lsp/server.js');
      const connection = startServer();
      // The command ends when the editor ends the session (`exit`), not when this action returns.
      await new Promise<void>((resolve) => connection.onExit(resolve));
    });
}
