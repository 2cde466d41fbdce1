export * from './ai-provider.ts';
export * from './design-provider.ts';
export * from './document-size.ts';
export * from './event-bus.ts';
export * from './message-size.ts';
export * from './repo-provider.ts';
export * from './secret-store.ts';
export * from './state-store.ts';
