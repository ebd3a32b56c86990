// nunjucks, patched to behave like Jinja2 as dbt configures it. The patches come from
// the evaluation in notes/jinja-eval (each is pinned by a case in
// test/jinja-compat.test.ts). nunjucks' runtime and compiler are singletons, so the
// patches are process-wide and installed once.
/* biome-ignore-all lint/suspicious/noExplicitAny: nunjucks' compiler and runtime internals have no types */
import nunjucks from 'nunjucks';
import { MacroReturn } from './macro-return.ts';
import { pyPercent, pyStringMethods } from './py-methods.ts';
import { UndefinedNameError } from './undefined-name-error.ts';

/** Where the last function call in a template happened (file, 1-based line and column): ref() reports it. */
export const callSite: { file: string; line: number; col: number } = { file: '', line: 0, col: 0 };

/** The parse nodes of `{% break %}` / `{% continue %}`, made by the LoopControl extension. */
export const loopControlNodes: Record<string, any> = {};

let installed = false;

/** Installs every patch (idempotent). */
export function installPatches(): void {
  if (installed) return;
  installed = true;
  const parserNodes = (nunjucks as any).nodes;
  // Jinja allows a trailing comma in calls and literals (`config(a=1, b=2,)`, `[1, 2,]`),
  // a common dbt style; nunjucks' parser does not. Installed before installJinjaCompat, which
  // wraps parseAggregate (for slices) around whatever is there. These are nunjucks' own functions with
  // one change: a comma followed by the closing bracket ends the list.
  const Parser = (nunjucks as any).parser.Parser.prototype;
  const lexer = (nunjucks as any).lexer;
  Parser.parseSignature = function (this: any, tolerant: boolean, noParens: boolean) {
    let tok = this.peekToken();
    if (!noParens && tok.type !== lexer.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === lexer.TOKEN_LEFT_PAREN) tok = this.nextToken();
    const args = new parserNodes.NodeList(tok.lineno, tok.colno);
    const kwargs = new parserNodes.KeywordArgs(tok.lineno, tok.colno);
    let checkComma = false;
    for (;;) {
      tok = this.peekToken();
      if (!noParens && tok.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (noParens && tok.type === lexer.TOKEN_BLOCK_END) break;
      if (checkComma) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail('expected comma after expression', tok.lineno, tok.colno);
        if (!noParens && this.peekToken().type === lexer.TOKEN_RIGHT_PAREN) continue; // trailing comma
      }
      const arg = this.parseExpression();
      if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
        kwargs.addChild(new parserNodes.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      } else {
        args.addChild(arg);
      }
      checkComma = true;
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  };
  Parser.parseAggregate = function (this: any) {
    const tok = this.nextToken();
    const Node =
      tok.type === lexer.TOKEN_LEFT_PAREN
        ? parserNodes.Group
        : tok.type === lexer.TOKEN_LEFT_BRACKET
          ? parserNodes.Array
          : tok.type === lexer.TOKEN_LEFT_CURLY
            ? parserNodes.Dict
            : null;
    if (!Node) return null;
    const node = new Node(tok.lineno, tok.colno);
    const closers = [lexer.TOKEN_RIGHT_PAREN, lexer.TOKEN_RIGHT_BRACKET, lexer.TOKEN_RIGHT_CURLY];
    for (;;) {
      if (closers.includes(this.peekToken().type)) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail('expected comma after expression', tok.lineno, tok.colno);
        if (closers.includes(this.peekToken().type)) continue; // trailing comma
      }
      if (node instanceof parserNodes.Dict) {
        const key = this.parsePrimary();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail('expected colon after dict key', tok.lineno, tok.colno);
        const value = this.parseExpression();
        node.addChild(new parserNodes.Pair(key.lineno, key.colno, key, value));
      } else {
        node.addChild(this.parseExpression());
      }
    }
    return node;
  };
  // True/False/None, dict.items()/keys()/values()/get()/update(), list.append(), slices.
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as any).runtime;
  const compiler = (nunjucks as any).compiler;
  const Compiler = compiler.Compiler.prototype;
  const TemplateError = (nunjucks as any).lib.TemplateError;

  // Python string methods before JavaScript's (see py-methods.ts).
  const memberLookup = runtime.memberLookup;
  runtime.memberLookup = function (this: unknown, obj: unknown, name: string, ...rest: unknown[]) {
    if (typeof obj === 'string' && Object.hasOwn(pyStringMethods, name)) {
      return (pyStringMethods[name] as (...args: unknown[]) => unknown).bind(obj);
    }
    return memberLookup.call(this, obj, name, ...rest);
  };

  // Post-process the generated JavaScript:
  // - runtime errors carry 0-based positions (parse errors are 1-based): make them 1-based;
  // - every macro reports errors at its own file and line, not the caller's (nunjucks#1332);
  // - Jinja scoping: `{% set %}` inside a for loop stays inside it (nunjucks writes it to
  //   the outer frame where the name exists): drop the resolve-up flag.
  const compile = compiler.compile;
  compiler.compile = (src: string, asyncFilters: unknown, extensions: unknown, name: string, options: unknown) =>
    (compile(src, asyncFilters, extensions, name, options) as string)
      .replaceAll('runtime.handleError(e, lineno, colno)', 'runtime.handleError(e, lineno + 1, colno + 1)')
      .replaceAll(
        'runtime.makeMacro(',
        `runtime.makeMacroAt(function () { return [lineno, colno]; }, ${JSON.stringify(name)}, `,
      )
      .replace(/frame\.set\(("(?:[^"\\]|\\.)*"), (t_\d+), true\);/g, 'frame.set($1, $2);');
  const makeMacro = runtime.makeMacro;
  runtime.makeMacroAt = (
    position: () => [number, number],
    path: string,
    argNames: string[],
    kwargNames: string[],
    body: (...args: unknown[]) => unknown,
  ) =>
    makeMacro(argNames, kwargNames, function (this: unknown, ...args: unknown[]) {
      try {
        return body.apply(this, args);
      } catch (error) {
        if (error instanceof MacroReturn) return error.value;
        if ((error as { lineno?: number }).lineno) throw error; // located already (a nested macro)
        const [line, col] = position();
        throw new TemplateError(error, line + 1, col + 1).Update(path);
      }
    });

  // Jinja's Undefined: printing it gives '', but an attribute of it raises. Record the
  // position at every lookup and filter too, not only at calls.
  runtime.pyDefined = (obj: unknown, name: string) => {
    if (obj === undefined || obj === null) throw new UndefinedNameError(name, obj === null);
    return obj;
  };
  Compiler.compileLookupVal = function (node: any, frame: unknown) {
    // The position is set after the target is evaluated (arguments run left to right).
    this._emit('runtime.memberLookup(runtime.pyDefined((');
    this._compileExpression(node.target, frame);
    this._emit(
      `), ${JSON.stringify(this._getNodeName(node.target))}, (lineno = ${node.lineno}, colno = ${node.colno})),`,
    );
    this._compileExpression(node.val, frame);
    this._emit(')');
  };
  const compileFilter = Compiler.compileFilter;
  Compiler.compileFilter = function (node: any, frame: unknown) {
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, `);
    compileFilter.call(this, node, frame);
    this._emit(')');
  };
  // Record every call's position where the dbt globals can read it (ref() errors name a line).
  const compileFunCall = Compiler.compileFunCall;
  Compiler.compileFunCall = function (node: any, frame: unknown) {
    const file = JSON.stringify(this.templateName ?? '');
    this._emit(`(runtime.callSite.file = ${file}, runtime.callSite.line = ${node.lineno + 1}, `);
    this._emit(`runtime.callSite.col = ${node.colno + 1}, `);
    compileFunCall.call(this, node, frame);
    this._emit(')');
  };
  runtime.callSite = callSite;

  // Python tuples: nunjucks compiles ('a', 1) to the JavaScript comma operator (== 1).
  Compiler.compileGroup = function (node: { children: unknown[] }, frame: unknown) {
    if (node.children.length > 1) this._compileAggregate(node, frame, '[', ']');
    else this._compileAggregate(node, frame, '(', ')');
  };
  // Python's `'%s' % x`.
  runtime.pyMod = (a: unknown, b: unknown) => (typeof a === 'string' ? pyPercent(a, b) : (a as number) % (b as number));
  Compiler.compileMod = function (node: { left: unknown; right: unknown }, frame: unknown) {
    this._emit('runtime.pyMod(');
    this.compile(node.left, frame);
    this._emit(',');
    this.compile(node.right, frame);
    this._emit(')');
  };
  // `{% set ns.attr = v %}` (namespace assignment; nunjucks only assigns plain names).
  const compileSet = Compiler.compileSet;
  Compiler.compileSet = function (node: any, frame: unknown) {
    const target = node.targets[0];
    if (node.targets.length !== 1 || target.typename !== 'LookupVal') return compileSet.call(this, node, frame);
    this._emit('(');
    this._compileExpression(target.target, frame);
    this._emit(')[');
    this._compileExpression(target.val, frame);
    this._emit('] = ');
    if (node.value) this._compileExpression(node.value, frame);
    else this.compile(node.body, frame);
    this._emitLine(';');
  };
  // `{% break %}` / `{% continue %}` (dbt enables loopcontrols): sync for loops are plain
  // JavaScript loops.
  const nodes = (nunjucks as any).nodes;
  for (const keyword of ['break', 'continue']) {
    const typename = `LoopCtl_${keyword}`;
    loopControlNodes[keyword] = nodes.Node.extend(typename, { fields: [] });
    compiler.Compiler.prototype[`compile${typename}`] = function () {
      this._emitLine(`${keyword};`);
    };
  }
  // Python prints True, False and None.
  const suppressValue = runtime.suppressValue;
  runtime.suppressValue = (value: unknown, autoescape: boolean) =>
    value === true ? 'True' : value === false ? 'False' : value === null ? 'None' : suppressValue(value, autoescape);
}
