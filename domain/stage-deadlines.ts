// Which deadline each stage of a case runs against. Apart from the deadline policy (zod-checked
// documents) so the workflow bundle can import it without the schema library.
import type { DeadlineStep } from './deadlines';
import type { Stage } from './stages';

/** The deadline each stage runs against; a stage not named here has none. */
export const STEP_OF_STAGE: Partial<Record<Stage, DeadlineStep>> = {
  emergency_response: 'emergency_response',
  assessment: 'assessment',
  planning: 'planning',
  plan_review: 'plan_approval',
  implementation: 'review',
  closure_review: 'closure_approval',
};
