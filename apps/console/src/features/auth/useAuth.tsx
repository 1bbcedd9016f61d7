import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { session } from '../../api/session';
import type { Role, TokenPair, User } from '../../api/types';
import i18n from '../../i18n';

interface AuthContextValue {
  user: User | undefined;
  signedIn: boolean;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const RANK: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 };

export function hasRole(user: User | undefined, minimum: Role): boolean {
  return !!user && RANK[user.role] >= RANK[minimum];
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => session.accessToken() !== null);
  useEffect(() => session.onChange(setSignedIn), []);

  const me = useQuery({ queryKey: ['me'], queryFn: () => api<User>('/users/me'), enabled: signedIn, staleTime: 5 * 60_000 });

  const login = useCallback(
    async (email: string, password: string) => {
      const tokens = await api<TokenPair>('/auth/login', { method: 'POST', body: { email, password } });
      queryClient.clear();
      session.save(tokens);
      const user = await queryClient.fetchQuery({ queryKey: ['me'], queryFn: () => api<User>('/users/me') });
      if (user.locale !== i18n.language) await i18n.changeLanguage(user.locale);
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    const refreshToken = session.refreshToken();
    await api('/auth/logout', { method: 'POST', body: refreshToken ? { refreshToken } : {} }).catch(() => undefined);
    session.clear();
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo(
    () => ({ user: signedIn ? me.data : undefined, signedIn, loading: signedIn && me.isPending, login, logout }),
    [signedIn, me.data, me.isPending, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}
