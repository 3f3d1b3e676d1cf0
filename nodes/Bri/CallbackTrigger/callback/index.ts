// BSB callbacks, BRI → partner (spec sections 24–25). Pure functions: the trigger node does the
// I/O and passes the clock in.
export * from './answers';
export * from './duplicates';
export * from './payload';
export * from './token';
export * from './verify';
