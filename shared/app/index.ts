export type { AppContext } from './context.ts';
export { type ContextOverrides, createContext } from './create-context.ts';
export { providerRegistry, tenantCredentials } from './providers.ts';
