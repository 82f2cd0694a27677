export * from './contracts.js';
export * from './errors.js';
export * from './filter.js';
export * from './permissions.js';
export * from './client-base.js';
export * from './phone.js';
export * from './task.js';
export * from './notification-kinds.js';
