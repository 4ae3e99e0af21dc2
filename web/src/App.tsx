import { AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ComponentType, lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './session.tsx';

/** Each page is its own chunk: a customer never downloads the agent's charts. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const SignInPage = page(() => import('./pages/SignInPage.tsx'), 'SignInPage');
const ClaimsPage = page(() => import('./pages/ClaimsPage.tsx'), 'ClaimsPage');
const ClaimPage = page(() => import('./pages/ClaimPage.tsx'), 'ClaimPage');
const NewClaimPage = page(() => import('./pages/NewClaimPage.tsx'), 'NewClaimPage');
const InsurancePage = page(() => import('./pages/InsurancePage.tsx'), 'InsurancePage');
const DashboardPage = page(() => import('./pages/DashboardPage.tsx'), 'DashboardPage');
const ReferralsPage = page(() => import('./pages/ReferralsPage.tsx'), 'ReferralsPage');
const ReferralPage = page(() => import('./pages/ReferralPage.tsx'), 'ReferralPage');
const RecoveriesPage = page(() => import('./pages/RecoveriesPage.tsx'), 'RecoveriesPage');
const ApiKeysPage = page(() => import('./pages/admin/ApiKeysPage.tsx'), 'ApiKeysPage');
const WebhooksPage = page(() => import('./pages/admin/WebhooksPage.tsx'), 'WebhooksPage');
const SafetyPage = page(() => import('./pages/safety/SafetyPage.tsx'), 'SafetyPage');
const TendersPage = page(() => import('./pages/insurer/TendersPage.tsx'), 'TendersPage');
const FileForCustomerPage = page(
  () => import('./pages/agent/FileForCustomerPage.tsx'),
  'FileForCustomerPage',
);

const NAV: Record<string, { to: string; label: string }[]> = {
  customer: [
    { to: '/claims', label: 'My claims' },
    { to: '/claims/new', label: 'File a claim' },
  ],
  seller: [
    { to: '/claims', label: 'Claims about my products' },
    { to: '/insurance', label: 'Insurance' },
    { to: '/recoveries', label: 'Recoveries' },
  ],
  agent: [
    { to: '/claims', label: 'Queues' },
    { to: '/agent/file-claim', label: 'File for a customer' },
    { to: '/recoveries', label: 'Recoveries' },
    { to: '/dashboard', label: 'Dashboard' },
    { to: '/safety', label: 'Safety' },
  ],
  admin: [
    { to: '/claims', label: 'Queues' },
    { to: '/recoveries', label: 'Recoveries' },
    { to: '/dashboard', label: 'Dashboard' },
    { to: '/safety', label: 'Safety' },
    { to: '/admin/api-keys', label: 'API keys' },
    { to: '/admin/webhooks', label: 'Webhooks' },
  ],
  // A third-party administrator works its marketplaces' claims: the agent's queues, nothing else.
  tpa: [
    { to: '/claims', label: 'Queues' },
    { to: '/agent/file-claim', label: 'File for a customer' },
  ],
  expert: [{ to: '/referrals', label: 'Referred claims' }],
  insurer: [
    { to: '/insurer/tenders', label: 'Tenders' },
    { to: '/admin/webhooks', label: 'Webhooks' },
  ],
};

const HOME: Record<string, string> = {
  customer: '/claims',
  seller: '/claims',
  agent: '/claims',
  tpa: '/claims',
  admin: '/claims',
  expert: '/referrals',
  insurer: '/insurer/tenders',
};

const loading = (
  <Center h={200}>
    <Loader aria-label="Loading" />
  </Center>
);

export function App() {
  const { session, loading: starting, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  if (starting) return loading;
  if (!session) {
    return (
      <Suspense fallback={loading}>
        <SignInPage />
      </Suspense>
    );
  }
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={3}>Redress</Title>
          </Group>
          <Group>
            <Text size="sm" c="dimmed">
              {session.role}
              {session.partyId ? ` · ${session.partyId}` : ''}
            </Text>
            <Button variant="subtle" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        {(NAV[session.role] ?? []).map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={location.pathname === item.to}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={loading}>
          <Routes>
            <Route path="/" element={<Navigate to={HOME[session.role] ?? '/claims'} replace />} />
            <Route path="/claims" element={<ClaimsPage />} />
            <Route path="/claims/new" element={<NewClaimPage />} />
            <Route path="/claims/:id" element={<ClaimPage />} />
            <Route path="/insurance" element={<InsurancePage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/referrals" element={<ReferralsPage />} />
            <Route path="/referrals/:id" element={<ReferralPage />} />
            <Route path="/recoveries" element={<RecoveriesPage />} />
            <Route path="/admin/api-keys" element={<ApiKeysPage />} />
            <Route path="/admin/webhooks" element={<WebhooksPage />} />
            <Route path="/safety" element={<SafetyPage />} />
            <Route path="/insurer/tenders" element={<TendersPage />} />
            <Route path="/agent/file-claim" element={<FileForCustomerPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
