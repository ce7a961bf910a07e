/** The process's one OperationGate (built from AppConfig.graphql), shared by every transport. */
export const OPERATION_GATE = Symbol('OPERATION_GATE');
