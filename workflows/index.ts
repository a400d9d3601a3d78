// Every workflow the worker registers.
export { caseWorkflow } from './case';
export { deliveryWorkflow } from './delivery';
export { callbackWorkflow } from './callback';
export { scheduledSessionWorkflow } from './programme-session';
