import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, call } from './api/client.ts';
import type { components } from './api/schema.ts';

export type Session = components['schemas']['Session'];

/**
 * Who works claims as the marketplace's staff: its agents and admins, and a third-party
 * administrator (on its marketplaces' claims; the API shows it no other).
 */
export const worksClaims = (role: string | undefined): boolean =>
  role === 'agent' || role === 'admin' || role === 'tpa';
type Role = Session['role'];

interface SessionState {
  session: Session | null;
  loading: boolean;
  signInWithKey(apiKey: string): Promise<void>;
  signInAsDemo(role: Role): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    api
      .GET('/v1/session')
      .then(({ data }) => setSession(data ?? null))
      .finally(() => setLoading(false));
  }, []);
  const signInWithKey = useCallback(async (apiKey: string) => {
    setSession(await call(api.POST('/v1/sessions', { body: { apiKey } })));
  }, []);
  const signInAsDemo = useCallback(async (role: Role) => {
    setSession(await call(api.POST('/v1/sessions/demo', { body: { role } })));
  }, []);
  const signOut = useCallback(async () => {
    await api.DELETE('/v1/session');
    setSession(null);
  }, []);
  return (
    <SessionContext.Provider value={{ session, loading, signInWithKey, signInAsDemo, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
