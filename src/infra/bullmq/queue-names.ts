/** BullMQ queue names (no `:` allowed in names or custom job ids). */
export const OPERATIONS_QUEUE = 'tas-operations';
export const NOTIFY_QUEUE = 'tas-notify';
export const RECONCILE_QUEUE = 'tas-reconcile';
