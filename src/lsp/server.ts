/**
 * `mlc lsp`: the Language Server Protocol over stdio, a thin layer on
 * vscode-languageserver. Every answer comes from the language service
 * (src/service): this file only keeps one analysis per open document,
 * converts the service's plain results to protocol types, and publishes
 * diagnostics whenever a document changes.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InlayHintKind,
  InsertTextFormat,
  LSPErrorCodes,
  ResponseError,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type DocumentSymbol,
  type InitializeResult,
} from 'vscode-languageserver/node';
import * as service from '../service/index.js';
import type { Analysis, CompletionKind, OutlineKind } from '../service/index.js';

const SEVERITY: Record<service.EditorDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  layer: CompletionItemKind.Function,
  block: CompletionItemKind.Class,
  option: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  activation: CompletionItemKind.EnumMember,
  loss: CompletionItemKind.Value,
  optimizer: CompletionItemKind.Value,
  metric: CompletionItemKind.Value,
  tensor: CompletionItemKind.Variable,
  param: CompletionItemKind.TypeParameter,
};

const SYMBOL_KIND: Record<OutlineKind, SymbolKind> = {
  model: SymbolKind.Module,
  input: SymbolKind.Variable,
  layer: SymbolKind.Function,
  block: SymbolKind.Class,
  tensor: SymbolKind.Variable,
  section: SymbolKind.Namespace,
};

/** The file name a document URI stands for: it picks `.model` or IR JSON, and names a model without a `model` line. */
export function fileOfUri(uri: string): string {
  try {
    const url = new URL(uri);
    return decodeURIComponent(url.pathname) || 'untitled.model';
  } catch {
    return uri;
  }
}

/** Serves the language over `input`/`output` (stdin/stdout for `mlc lsp`); resolves when the client ends the session. */
export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Connection {
  // stdout carries the protocol: anything a library logs goes to stderr instead.
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, { version: number; analysis: Analysis }>();
  /** Per document: its statements as last parsed, so that an edit parses only what it changed. */
  const parseCaches = new Map<string, service.ParseCache>();

  /** The analysis of the document's current text, compiled once per version. */
  const analysisOf = (uri: string): Analysis | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const cached = analyses.get(uri);
    if (cached && cached.version === doc.version) return cached.analysis;
    let parseCache = parseCaches.get(uri);
    if (!parseCache) parseCaches.set(uri, (parseCache = new service.ParseCache()));
    const analysis = service.analyse(doc.getText(), fileOfUri(uri), parseCache);
    analyses.set(uri, { version: doc.version, analysis });
    return analysis;
  };

  const toDiagnostics = (uri: string, a: Analysis): Diagnostic[] =>
    service.diagnostics(a).map((d) => {
      const notes = d.related.filter((r) => !r.range || r.file).map((r) => `\nnote: ${r.message}`);
      return {
        range: d.range,
        severity: SEVERITY[d.severity],
        code: d.code,
        source: 'mlc',
        message: d.message + notes.join(''),
        relatedInformation: d.related.filter((r) => r.range && !r.file).map((r) => ({ location: { uri, range: r.range! }, message: r.message })),
      };
    });

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', '=', '[', ',', '(', '>'] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        inlayHintProvider: true,
        semanticTokensProvider: {
          legend: { tokenTypes: [...service.TOKEN_TYPES], tokenModifiers: [...service.TOKEN_MODIFIERS] },
          full: true,
        },
      },
      serverInfo: { name: 'mlc', version: '0.1.0' },
    }),
  );

  documents.onDidChangeContent(({ document }) => {
    const a = analysisOf(document.uri);
    if (a) void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: toDiagnostics(document.uri, a) });
  });
  documents.onDidClose(({ document }) => {
    analyses.delete(document.uri);
    parseCaches.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const a = analysisOf(textDocument.uri);
    if (!a) return [];
    return service.inlayHints(a, range).map((h) => ({ position: h.position, label: h.label, kind: InlayHintKind.Type, paddingLeft: true, tooltip: h.tooltip }));
  });

  connection.onHover(({ textDocument, position }) => {
    const a = analysisOf(textDocument.uri);
    const h = a && service.hover(a, position);
    return h ? { contents: { kind: 'markdown', value: h.contents }, range: h.range } : null;
  });

  connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
    const a = analysisOf(textDocument.uri);
    if (!a) return [];
    return service.completions(a, position).map((c) => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: 'markdown', value: c.documentation } : undefined,
      insertText: c.insertText,
      insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    }));
  });

  connection.onDefinition(({ textDocument, position }) => {
    const a = analysisOf(textDocument.uri);
    const range = a && service.definition(a, position);
    return range ? { uri: textDocument.uri, range } : null;
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const a = analysisOf(textDocument.uri);
    return a ? service.references(a, position, context.includeDeclaration).map((range) => ({ uri: textDocument.uri, range })) : [];
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const a = analysisOf(textDocument.uri);
    const prepared = a && service.prepareRename(a, position);
    // An editor shows a failed request's message: it says why this name cannot be renamed.
    if (prepared && 'error' in prepared) throw new ResponseError(LSPErrorCodes.RequestFailed, prepared.error);
    return prepared ?? null;
  });

  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const a = analysisOf(textDocument.uri);
    if (!a) return null;
    const result = service.rename(a, position, newName);
    if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
    return { changes: { [textDocument.uri]: result.edits } };
  });

  connection.onDocumentSymbol(({ textDocument }): DocumentSymbol[] => {
    const a = analysisOf(textDocument.uri);
    const convert = (s: service.OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      detail: s.detail,
      kind: SYMBOL_KIND[s.kind],
      range: s.range,
      selectionRange: s.selectionRange,
      children: s.children?.map(convert),
    });
    return a ? service.documentSymbols(a).map(convert) : [];
  });

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const a = analysisOf(textDocument.uri);
    return { data: a ? service.encodeTokens(service.semanticTokens(a)) : [] };
  });

  connection.onDocumentFormatting(({ textDocument }) => {
    const a = analysisOf(textDocument.uri);
    return a ? service.formatDocument(a) : [];
  });

  connection.onCodeAction(({ textDocument, range }): CodeAction[] => {
    const a = analysisOf(textDocument.uri);
    if (!a) return [];
    const published = toDiagnostics(textDocument.uri, a);
    const all = service.diagnostics(a);
    return service.codeActions(a, range).map((action) => {
      const i = a.diagnostics.indexOf(action.diagnostic);
      return {
        title: action.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: i >= 0 && all[i] ? [published[i]] : [],
        isPreferred: action.preferred,
        edit: { changes: { [textDocument.uri]: action.edits } },
      };
    });
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
