export type { AppOptions } from './app';
export { buildApp } from './app';
export type { ApiConfig } from './config';
export { ApiConfigError, isLoopback, readApiConfig } from './config';
// For the bench's baseline with the API's request log and token check (what they cost alone).
export { BearerGuard, requireBearerToken } from './plugins/bearer-auth';
export type { LogDestination } from './plugins/log-output';
export { requestLogOptions } from './plugins/request-log';
