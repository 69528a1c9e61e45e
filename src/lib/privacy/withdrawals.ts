/**
 * The board page's data that depends on the list of households whose consent was withdrawn (the
 * owners' count): invalidated when the server says the list changed (register-changed.ts).
 */
export const WITHDRAWALS_DATA = 'buurtbord:withdrawals';
