export * from './types';
export * from './filter';
export * from './summary';
export * from './coverage';
export * from './rounds';
export * from './talents';
export * from './export';
export * from './print-map';
