export { assembleContext, createContext } from './create-context.ts';
