/**
 * The VS Code client: starts `mlc lsp --stdio` (the command is a setting) for
 * `.model` files and leaves everything else (diagnostics, inlay hints,
 * hover, completion, rename, formatting, quick fixes) to that server.
 */
import { window, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const [command, ...args] = workspace.getConfiguration('mlc').get<string[]>('server.command') ?? ['mlc', 'lsp', '--stdio'];
  if (!command) {
    void window.showErrorMessage('mlc: the setting `mlc.server.command` is empty; set it to e.g. ["mlc", "lsp", "--stdio"].');
    return;
  }
  const serverOptions: ServerOptions = { command, args, transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'mlc' }],
    synchronize: { configurationSection: 'mlc' },
  };
  client = new LanguageClient('mlc', 'mlc', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    void window.showErrorMessage(
      `mlc: could not start the language server with \`${[command, ...args].join(' ')}\` (${(e as Error).message}). Install mlc (npm install -g mlc) or set \`mlc.server.command\`.`,
    );
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
