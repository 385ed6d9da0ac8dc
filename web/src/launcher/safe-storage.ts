/** localStorage that never throws (Safari private mode, blocked third-party storage in embeds). */
export const safeStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = {
  getItem(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  setItem(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // full or blocked: the chat still works, it just forgets across reloads
    }
  },
  removeItem(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // blocked
    }
  },
};

export const THREAD_KEY = 'chatkit-thread-id';
export const USER_KEY = 'chatkit-user';
/** The server's proof of the visitor id (decision 0022); without it the id gets nothing back. */
export const PROOF_KEY = 'chatkit-visitor-proof';
