// The type import brings Handlebars' global `hbs.AST` declarations into scope.
import type {} from 'handlebars';

type AST = hbs.AST.Node;

/** Where something occurs in a template (1-based line, 1-based column). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A call (`{{name arg}}`, `{{#name arg}}`, `(name arg)`): what `HELPER_UNKNOWN` looks at. */
export interface HelperCall extends SourcePosition {
  /** The path as written (`img_url`, `photo.title`, `@custom.x`). */
  path: string;
  /** True when `path` is a single plain name that could name a helper. */
  simple: boolean;
  /** Literal arguments, in order (`undefined` for non-literals). */
  literals: (string | number | boolean | undefined)[];
}

/** What a template uses, collected in one walk over its AST. */
export interface TemplateScan {
  calls: HelperCall[];
  /** Static partial names (`{{> name}}`, `{{#> name}}`). */
  partials: (SourcePosition & { name: string; hasFallback: boolean })[];
  /** Inline partials defined here (`{{#*inline "name"}}`). */
  inlinePartials: string[];
  /** Keys read through `@custom.<key>`. */
  customKeys: (SourcePosition & { key: string })[];
  /** `{{{path}}}` / `{{& path}}` occurrences. */
  unescaped: (SourcePosition & { path: string; simple: boolean })[];
}

function pos(node: AST): SourcePosition {
  return { line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? 0) + 1 };
}

function isSimple(path: hbs.AST.PathExpression): boolean {
  return !path.data && path.depth === 0 && path.parts.length === 1 && !/^(this|\.)/.test(path.original);
}

function literal(node: hbs.AST.Expression): string | number | boolean | undefined {
  const n = node as hbs.AST.StringLiteral | hbs.AST.NumberLiteral | hbs.AST.BooleanLiteral;
  return n.type === 'StringLiteral' || n.type === 'NumberLiteral' || n.type === 'BooleanLiteral' ? n.value : undefined;
}

/** Walks a parsed template and collects helper calls, partials, `@custom` keys and `{{{ }}}`. */
export function scanTemplate(program: hbs.AST.Program): TemplateScan {
  const scan: TemplateScan = { calls: [], partials: [], inlinePartials: [], customKeys: [], unescaped: [] };

  const call = (node: AST, path: hbs.AST.PathExpression, params: hbs.AST.Expression[]) => {
    scan.calls.push({ ...pos(node), path: path.original, simple: isSimple(path), literals: params.map(literal) });
  };

  const visit = (node: AST | undefined | null): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        return;
      case 'MustacheStatement':
      case 'Decorator': {
        const m = node as hbs.AST.MustacheStatement;
        const path = m.path as hbs.AST.PathExpression;
        if (path.type === 'PathExpression') {
          if (node.type === 'MustacheStatement' && (m.params.length > 0 || m.hash?.pairs.length)) call(node, path, m.params);
          if (node.type === 'MustacheStatement' && !m.escaped) scan.unescaped.push({ ...pos(node), path: path.original, simple: isSimple(path) });
        }
        visit(m.path);
        m.params.forEach(visit);
        visit(m.hash);
        return;
      }
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const b = node as hbs.AST.BlockStatement;
        if (node.type === 'DecoratorBlock') {
          const name = b.params[0] ? literal(b.params[0]) : undefined;
          if (b.path.original === 'inline' && typeof name === 'string') scan.inlinePartials.push(name);
        } else if (b.params.length > 0 || b.hash?.pairs.length) {
          call(node, b.path, b.params);
        }
        visit(b.path);
        b.params.forEach(visit);
        visit(b.hash);
        visit(b.program);
        visit(b.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = node as hbs.AST.PartialStatement & { program?: hbs.AST.Program };
        const name = p.name as hbs.AST.PathExpression | hbs.AST.StringLiteral | hbs.AST.SubExpression;
        if (name.type === 'PathExpression' || name.type === 'StringLiteral') {
          const n = name.type === 'PathExpression' ? name.original : name.value;
          if (n !== '@partial-block') scan.partials.push({ ...pos(node), name: n, hasFallback: node.type === 'PartialBlockStatement' });
        } else visit(name);
        p.params.forEach(visit);
        visit(p.hash);
        visit(p.program);
        return;
      }
      case 'SubExpression': {
        const s = node as hbs.AST.SubExpression;
        call(node, s.path, s.params);
        visit(s.path);
        s.params.forEach(visit);
        visit(s.hash);
        return;
      }
      case 'Hash':
        (node as hbs.AST.Hash).pairs.forEach((pair) => visit(pair.value));
        return;
      case 'PathExpression': {
        const p = node as hbs.AST.PathExpression;
        if (p.data && p.parts[0] === 'custom' && p.parts.length > 1) scan.customKeys.push({ ...pos(node), key: p.parts[1]! });
        return;
      }
      default:
        return;
    }
  };
  visit(program);
  return scan;
}
