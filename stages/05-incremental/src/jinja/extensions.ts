// dbt's own Jinja tags as nunjucks extensions: real parse nodes with real positions
// (a regex pre-pass over the text would be fooled by tags inside strings).
/* biome-ignore-all lint/suspicious/noExplicitAny: nunjucks' parser API has no types */
import type nunjucks from 'nunjucks';
import { loopControlNodes } from './patches.ts';

/** `{% do expr %}`: evaluates the expression for its effect (`{% do xs.append(1) %}`). */
export class DoExtension implements nunjucks.Extension {
  tags = ['do'];
  parse(parser: any, nodes: any): unknown {
    const token = parser.nextToken();
    const expression = parser.parseExpression();
    parser.advanceAfterBlockEnd(token.value);
    return new nodes.CallExtension(this, 'run', new nodes.NodeList(token.lineno, token.colno, [expression]));
  }
  run(): string {
    return '';
  }
}

/** `{% break %}` / `{% continue %}` (jinja2.ext.loopcontrols, enabled by dbt). */
export class LoopControlExtension implements nunjucks.Extension {
  tags = ['break', 'continue'];
  parse(parser: any): unknown {
    const token = parser.nextToken();
    parser.advanceAfterBlockEnd(token.value);
    const Node = loopControlNodes[token.value];
    return new Node(token.lineno, token.colno);
  }
}

/** `{% test name(model, column_name) %}…{% endtest %}` → the macro `test_name`, as dbt registers it. */
export class TestExtension implements nunjucks.Extension {
  tags = ['test'];
  parse(parser: any, nodes: any): unknown {
    const token = parser.nextToken();
    const name = parser.parsePrimary(true);
    const args = parser.parseSignature();
    parser.advanceAfterBlockEnd(token.value);
    const body = parser.parseUntilBlocks('endtest');
    parser.advanceAfterBlockEnd();
    const symbol = new nodes.Symbol(name.lineno, name.colno, `test_${name.value}`);
    return new nodes.Macro(token.lineno, token.colno, symbol, args, body);
  }
}

/** `{% snapshot name %}select …{% endsnapshot %}`: renders its body; the name is reported to `onSnapshot`. */
export class SnapshotExtension implements nunjucks.Extension {
  tags = ['snapshot'];
  private readonly onSnapshot: (name: string) => void;
  constructor(onSnapshot: (name: string) => void) {
    this.onSnapshot = onSnapshot;
  }
  parse(parser: any, nodes: any): unknown {
    const token = parser.nextToken();
    const name = parser.parsePrimary(true);
    parser.advanceAfterBlockEnd(token.value);
    const body = parser.parseUntilBlocks('endsnapshot');
    parser.advanceAfterBlockEnd();
    const args = new nodes.NodeList(token.lineno, token.colno, [
      new nodes.Literal(token.lineno, token.colno, name.value),
    ]);
    return new nodes.CallExtension(this, 'run', args, [body]);
  }
  run(_context: unknown, name: string, body: () => string): string {
    this.onSnapshot(name);
    return body();
  }
}

/** `{% docs name %}…{% enddocs %}`: documentation, read by the project loader; renders nothing. */
export class DocsExtension implements nunjucks.Extension {
  tags = ['docs'];
  parse(parser: any, nodes: any): unknown {
    const token = parser.nextToken();
    parser.parsePrimary(true);
    parser.advanceAfterBlockEnd(token.value);
    parser.parseUntilBlocks('enddocs');
    parser.advanceAfterBlockEnd();
    return new nodes.Output(token.lineno, token.colno, []);
  }
}

/**
 * `{% materialization %}`: custom materializations run Python-side adapter code in dbt;
 * this runner builds view, table, ephemeral, incremental, seed and snapshot itself.
 */
export class MaterializationExtension implements nunjucks.Extension {
  tags = ['materialization'];
  parse(parser: any): unknown {
    const token = parser.nextToken();
    parser.fail(
      'custom materializations ({% materialization %}) are not supported: use one of view, table, ephemeral, incremental (append, merge, delete+insert, microbatch), or remove this macro file',
      token.lineno,
      token.colno,
    );
    return undefined;
  }
}
