// Comparing risks: which of two routing decisions is the lower. Free of any library: the workflow
// bundle imports it (I1: a re-score that would lower the path or the level waits for a person).
import { RISK_LEVELS, type Path, type RiskLevel } from './stages';

/** 4 for critical … 1 for low. */
export function severity(level: RiskLevel): number {
  return RISK_LEVELS.length - RISK_LEVELS.indexOf(level);
}

/** True when `proposed` would take the case to a lower path or a lower level than `current`. */
export function lowers(proposed: { path: Path; level: RiskLevel }, current: { path: Path; level: RiskLevel }): boolean {
  return (proposed.path === 'standard' && current.path === 'emergency') || severity(proposed.level) < severity(current.level);
}
