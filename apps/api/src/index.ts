export type { AppOptions } from './app';
export { buildApp } from './app';
export type { ApiConfig } from './config';
export { ApiConfigError, isLoopback, readApiConfig } from './config';
