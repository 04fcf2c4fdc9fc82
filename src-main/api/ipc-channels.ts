// Channel names shared by the main process and the preload (which must not pull in anything else).
export const IPC_CALL = 'leafe:call'
export const IPC_EVENT = 'leafe:event'
