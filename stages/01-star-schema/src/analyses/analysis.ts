import type { Bar, Database, Row } from '@mart/shared';
import type { StarSchemaPieces } from '../pieces.ts';

/** A parameter an analysis asks for: prompted in `explore`, `--name value` when scripted. */
export interface AnalysisParam {
  name: 'limit' | 'from' | 'to';
  /** The prompt's question. */
  message: string;
  /** Shown as the placeholder and used when scripted without the option. */
  default: string;
}

/** Parameter values after validation. */
export interface AnalysisParams {
  limit: number;
  from: string;
  to: string;
}

/** One question the mart answers: named, documented, runnable from the menu or a script. */
export interface Analysis {
  /** Kebab-case name for `explore --query <name>`. */
  name: string;
  /** Menu label. */
  title: string;
  /** What it shows and which tables it joins. */
  description: string;
  params: AnalysisParam[];
  run(db: Database, pieces: StarSchemaPieces, params: AnalysisParams): Promise<Row[]>;
  /** When set, explore draws a bar chart of the rows under the table. */
  chart?(rows: Row[]): Bar[];
}
