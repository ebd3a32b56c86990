import type {
  AcceptedValuesCheck,
  CheckContext,
  CheckResult,
  FreshnessCheck,
  NotNullCheck,
  RelationshipsCheck,
  UniqueCheck,
} from './types.ts';

/**
 * The pieces stage 3's checks are built from: what exercises/03-quality/ (yours) and
 * solutions/03-quality/ (the reference) both export. The runner hands each check its
 * context and reports the result it returns.
 */
export interface QualityPieces {
  checkNotNull(check: NotNullCheck, ctx: CheckContext): Promise<CheckResult>;
  checkUnique(check: UniqueCheck, ctx: CheckContext): Promise<CheckResult>;
  checkAcceptedValues(check: AcceptedValuesCheck, ctx: CheckContext): Promise<CheckResult>;
  checkRelationships(check: RelationshipsCheck, ctx: CheckContext): Promise<CheckResult>;
  checkFreshness(check: FreshnessCheck, ctx: CheckContext): Promise<CheckResult>;
}
