import { AppShell, Burger, Button, Center, Group, Loader, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ComponentType, lazy, Suspense, useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { api } from './api/client.ts';
import { type Session, useSession } from './session.tsx';

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
const MarketplacesPage = page(() => import('./pages/admin/MarketplacesPage.tsx'), 'MarketplacesPage');
const ExpertsPage = page(() => import('./pages/admin/ExpertsPage.tsx'), 'ExpertsPage');
const InsurersPage = page(() => import('./pages/admin/InsurersPage.tsx'), 'InsurersPage');
const ClustersPage = page(() => import('./pages/safety/ClustersPage.tsx'), 'ClustersPage');
const RecallsPage = page(() => import('./pages/safety/RecallsPage.tsx'), 'RecallsPage');
const ReportsPage = page(() => import('./pages/safety/ReportsPage.tsx'), 'ReportsPage');
const PoliciesPage = page(() => import('./pages/insurer/PoliciesPage.tsx'), 'PoliciesPage');
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
    { to: '/safety/clusters', label: 'Clusters' },
    { to: '/safety/recalls', label: 'Recalls' },
    { to: '/safety/reports', label: 'Regulator reports' },
    { to: '/insurer/policies', label: 'Policies to verify' },
  ],
  admin: [
    { to: '/claims', label: 'Queues' },
    { to: '/recoveries', label: 'Recoveries' },
    { to: '/dashboard', label: 'Dashboard' },
    { to: '/safety', label: 'Safety' },
    { to: '/safety/clusters', label: 'Clusters' },
    { to: '/safety/recalls', label: 'Recalls' },
    { to: '/safety/reports', label: 'Regulator reports' },
    { to: '/admin/marketplaces', label: 'Marketplaces' },
    { to: '/admin/experts', label: 'Experts' },
    { to: '/admin/insurers', label: 'Insurers' },
    { to: '/insurer/policies', label: 'Policies to verify' },
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
    { to: '/insurer/policies', label: 'Policies to verify' },
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

/** The role in words, shown under the person's name. */
const ROLE_WORDS: Record<string, string> = {
  customer: 'Customer',
  seller: 'Seller',
  agent: 'Claims agent',
  admin: 'Operator',
  expert: 'Independent expert',
  insurer: 'Insurer',
  tpa: 'Claims administrator (TPA)',
};

/**
 * Who is signed in, by name ("Dana Reyes", "Acme Home"), never by party id: read from the
 * party's own record, which each of these roles may read. Staff and experts have no party record
 * the session can name, so their role stands alone.
 */
function usePartyName(session: Session | null): string | null {
  const [name, setName] = useState<string | null>(null);
  const role = session?.role;
  const id = session?.partyId ?? null;
  useEffect(() => {
    setName(null);
    if (!id) return;
    const path = { params: { path: { id } } };
    const lookup =
      role === 'customer'
        ? api.GET('/v1/customers/{id}', path)
        : role === 'seller'
          ? api.GET('/v1/sellers/{id}', path)
          : role === 'insurer'
            ? api.GET('/v1/insurers/{id}', path)
            : role === 'tpa'
              ? api.GET('/v1/tpas/{id}', path)
              : null;
    let current = true;
    lookup?.then(({ data }) => current && setName(data?.name ?? null)).catch(() => undefined);
    return () => {
      current = false;
    };
  }, [role, id]);
  return name;
}

function WhoIsSignedIn({ session, name }: { session: Session; name: string | null }) {
  return (
    <Stack gap={0} data-testid="signed-in-as">
      <Text size="sm" fw={600} lh={1.2}>
        {name ?? ROLE_WORDS[session.role] ?? session.role}
      </Text>
      {name && (
        <Text size="xs" c="dimmed" lh={1.2}>
          {ROLE_WORDS[session.role] ?? session.role}
        </Text>
      )}
    </Stack>
  );
}

const loading = (
  <Center h={200}>
    <Loader aria-label="Loading" />
  </Center>
);

export function App() {
  const { session, loading: starting, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const name = usePartyName(session);
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
        {/* One line that never wraps onto the page: on a phone the name moves into the menu. */}
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close the menu' : 'Open the menu'}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Text fw={700} size="xl" component={Link} to="/" c="inherit" td="none">
              Redress
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Group visibleFrom="sm">
              <WhoIsSignedIn session={session} name={name} />
            </Group>
            <Button variant="subtle" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main" id="main-navigation">
        <Group hiddenFrom="sm" mb="sm" px="sm">
          <WhoIsSignedIn session={session} name={name} />
        </Group>
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
            <Route path="/admin/marketplaces" element={<MarketplacesPage />} />
            <Route path="/admin/experts" element={<ExpertsPage />} />
            <Route path="/admin/insurers" element={<InsurersPage />} />
            <Route path="/safety/clusters" element={<ClustersPage />} />
            <Route path="/safety/recalls" element={<RecallsPage />} />
            <Route path="/safety/reports" element={<ReportsPage />} />
            <Route path="/insurer/policies" element={<PoliciesPage />} />
            <Route path="/agent/file-claim" element={<FileForCustomerPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
