import type { Check, CheckContext, CheckResult } from '../given/index.ts';
import type { QualityPieces } from '../pieces.ts';
import { checkCustomSql } from './custom-sql.ts';
import { checkRange } from './range.ts';
import { checkRowCount } from './row-count.ts';
import { checkSchema } from './schema.ts';

/**
 * Which function runs which check type. Five are the exercise pieces (yours with
 * --mine); the other four are the stage's own.
 */
export function checkRunner(pieces: QualityPieces) {
  return (check: Check, ctx: CheckContext): Promise<CheckResult> => {
    switch (check.type) {
      case 'not_null':
        return pieces.checkNotNull(check, ctx);
      case 'unique':
        return pieces.checkUnique(check, ctx);
      case 'accepted_values':
        return pieces.checkAcceptedValues(check, ctx);
      case 'relationships':
        return pieces.checkRelationships(check, ctx);
      case 'freshness':
        return pieces.checkFreshness(check, ctx);
      case 'row_count':
        return checkRowCount(check, ctx);
      case 'range':
        return checkRange(check, ctx);
      case 'schema':
        return checkSchema(check, ctx);
      case 'sql':
        return checkCustomSql(check, ctx);
    }
  };
}
