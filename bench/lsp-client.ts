/**
 * A language client for the bench and the tests: starts `mlc lsp --stdio` as a
 * child process and talks JSON-RPC to it over its stdin/stdout, the way an
 * editor does (vscode-jsonrpc, the library VS Code's own client is built on).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Position, Range } from '../src/service/text.js';
import { REPO_ROOT } from './paths.js';

export type { Position, Range };
export interface LspDiagnostic {
  range: Range;
  severity: number;
  code: string;
  message: string;
  source: string;
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}
export interface TextEdit {
  range: Range;
  newText: string;
}

export class LspClient {
  private readonly versions = new Map<string, number>();
  private readonly diagnostics = new Map<string, { version?: number; diagnostics: LspDiagnostic[] }>();
  private readonly waiters: { uri: string; version?: number; resolve: (d: LspDiagnostic[]) => void }[] = [];

  /** What the server announced in its `initialize` result. */
  capabilities: Record<string, unknown> = {};

  private constructor(
    readonly connection: MessageConnection,
    readonly child: ChildProcess,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: LspDiagnostic[] }) => {
      this.diagnostics.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
  }

  /**
   * Starts the server: by default from source (`node --import tsx src/cli/main.ts lsp --stdio`);
   * `command` runs another build of it, e.g. `[process.execPath, 'dist/src/cli/main.js']`.
   */
  static async start(command: string[] = [process.execPath, '--import', 'tsx', 'src/cli/main.ts']): Promise<LspClient> {
    const child = spawn(command[0], [...command.slice(1), 'lsp', '--stdio'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    const client = new LspClient(connection, child);
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: Record<string, unknown> };
    client.capabilities = init.capabilities;
    await connection.sendNotification('initialized', {});
    return client;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** The next diagnostics published for `uri` (at `version`, when given). */
  nextDiagnostics(uri: string, version?: number): Promise<LspDiagnostic[]> {
    const seen = this.diagnostics.get(uri);
    if (seen && version !== undefined && seen.version === version) return Promise.resolve(seen.diagnostics);
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  async open(uri: string, text: string): Promise<LspDiagnostic[]> {
    this.versions.set(uri, 1);
    const published = this.nextDiagnostics(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'mlc', version: 1, text } });
    return published;
  }

  /** Applies `edits` (as an editor sends them, incrementally) and waits for the diagnostics of the new version. */
  async edit(uri: string, edits: TextEdit[]): Promise<LspDiagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const published = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    return published;
  }

  async stop(): Promise<void> {
    await this.request('shutdown', null);
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}

/** Applies LSP text edits to a text, as an editor would (edits do not overlap; applied from the last). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
