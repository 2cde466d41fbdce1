export { assembleContext, type Backends, type ContextOverrides, createContext } from './create-context.ts';
