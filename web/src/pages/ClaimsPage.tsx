import { Anchor, Button, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { Deadline, Money, ProblemAlert, StatusBadge } from '../components/ui.tsx';
import { useSession, worksClaims } from '../session.tsx';

type Claim = components['schemas']['Claim'];
type Status = Claim['status'];
type Queues = Record<string, { rows: Claim[]; more: boolean }>;

/** An agent's queues: what needs a person now, each a filter of the claims of one status. */
const QUEUES: { value: string; label: string; status?: Status; keep?: (c: Claim) => boolean }[] = [
  { value: 'review', label: 'Needs review', status: 'under_review', keep: (c) => c.reviewKind !== 'dispute' },
  { value: 'disputed', label: 'Disputed', status: 'under_review', keep: (c) => c.reviewKind === 'dispute' },
  { value: 'step-in', label: 'Step-in due', status: 'awaiting_seller' },
  { value: 'expert', label: 'With experts', status: 'expert_review' },
  { value: 'expert-overdue', label: 'Expert overdue' },
  { value: 'all', label: 'All' },
];
const PAGE = 200;

const nextDeadline = (c: Claim) =>
  c.deadlines.sellerResponse ?? c.deadlines.claimantInformation ?? c.deadlines.appeal ?? null;

/** The oldest-due first: claims with a deadline by it, then the rest oldest filed first. */
const byDue = (a: Claim, b: Claim) =>
  (nextDeadline(a)?.at ?? `~${a.filedAt}`).localeCompare(nextDeadline(b)?.at ?? `~${b.filedAt}`);

async function claimsOf(status?: Status) {
  return call(api.GET('/v1/claims', { params: { query: { limit: PAGE, ...(status ? { status } : {}) } } }));
}

/** Every queue's claims, loaded once so each tab shows its count before it is opened. */
async function loadQueues(withReferrals: boolean): Promise<Queues> {
  const statuses = [...new Set(QUEUES.flatMap((q) => (q.status ? [q.status] : [])))];
  const [byStatus, all, referrals] = await Promise.all([
    Promise.all(statuses.map(async (s) => [s, await claimsOf(s)] as const)),
    claimsOf(),
    // Referrals are listed across marketplaces, so a TPA (one marketplace's agent) has no such queue.
    withReferrals
      ? call(api.GET('/v1/referrals', { params: { query: { limit: 100, status: 'open' } } }))
      : { data: [] },
  ]);
  const pages = new Map(byStatus);
  const overdue = await Promise.all(
    referrals.data
      .filter((r) => new Date(r.dueAt) < new Date())
      .map((r) => call(api.GET('/v1/claims/{id}', { params: { path: { id: r.claim.id } } }))),
  );
  return Object.fromEntries(
    QUEUES.map((q) => {
      if (q.value === 'expert-overdue') return [q.value, { rows: overdue, more: false }];
      const page = q.status ? pages.get(q.status) : all;
      const rows = (page?.data ?? []).filter(q.keep ?? (() => true));
      return [q.value, { rows: q.value === 'all' ? rows : rows.sort(byDue), more: !!page?.nextCursor }];
    }),
  );
}

export function ClaimsPage() {
  const { session } = useSession();
  const staff = worksClaims(session?.role);
  const withReferrals = session?.role !== 'tpa';
  const [queue, setQueue] = useState<string | null>(staff ? null : 'all');
  const [queues, setQueues] = useState<Queues | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const loading: Promise<Queues> = staff
      ? loadQueues(withReferrals)
      : claimsOf().then((page) => ({ all: { rows: page.data, more: !!page.nextCursor } }));
    loading
      .then((loaded) => {
        setQueues(loaded);
        // The agent lands on the first queue with work in it, not on an empty tab.
        setQueue(
          (chosen) => chosen ?? QUEUES.find((q) => (loaded[q.value]?.rows.length ?? 0) > 0)?.value ?? 'all',
        );
      })
      .catch(setError);
  }, [staff, withReferrals]);
  const claims = queue && queues ? (queues[queue]?.rows ?? []) : null;
  const count = (value: string) => {
    const q = queues?.[value];
    return q ? ` (${q.rows.length}${q.more ? '+' : ''})` : '';
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>
          {staff
            ? 'Claims queues'
            : session?.role === 'seller'
              ? 'Claims about your products'
              : 'Your claims'}
        </Title>
        {session?.role === 'customer' && (
          <Button component={Link} to="/claims/new">
            File a claim
          </Button>
        )}
      </Group>
      {staff && queue && (
        <SegmentedControl
          value={queue}
          onChange={setQueue}
          data={QUEUES.map((q) => ({ value: q.value, label: `${q.label}${count(q.value)}` }))}
          aria-label="Queue"
        />
      )}
      <ProblemAlert error={error} />
      {claims && claims.length === 0 && <Text c="dimmed">Nothing here.</Text>}
      {claims && claims.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Claim</Table.Th>
                <Table.Th>Product</Table.Th>
                {session?.role !== 'seller' && <Table.Th>Seller</Table.Th>}
                {staff && <Table.Th>Customer</Table.Th>}
                <Table.Th>Status</Table.Th>
                <Table.Th>Amount</Table.Th>
                <Table.Th>Filed</Table.Th>
                <Table.Th>Next deadline</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claims.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/claims/${c.id}`}>
                      {c.claimNumber}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {c.type.replace('_', ' ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{c.productTitle ?? '—'}</Table.Td>
                  {session?.role !== 'seller' && <Table.Td>{c.sellerName ?? '—'}</Table.Td>}
                  {staff && <Table.Td>{c.customerName ?? '—'}</Table.Td>}
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    <Money value={c.amount} />
                  </Table.Td>
                  <Table.Td>{new Date(c.filedAt).toLocaleDateString()}</Table.Td>
                  <Table.Td>
                    <Deadline deadline={nextDeadline(c)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
