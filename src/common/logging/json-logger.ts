/**
 * Old import path of the logger, kept so the modules that log need no edit while other branches are
 * open; new code imports from ./logger. The hand-written JSON writer that lived here is replaced by pino.
 */
export { appLogger } from './logger';
