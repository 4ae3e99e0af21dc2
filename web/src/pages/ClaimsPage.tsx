import { Anchor, Button, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { Deadline, Money, ProblemAlert, StatusBadge } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

type Claim = components['schemas']['Claim'];

/** An agent's queues: what needs a person now, each a filter of the same list. */
const QUEUES: { value: string; label: string; status?: Claim['status']; keep?: (c: Claim) => boolean }[] = [
  { value: 'review', label: 'Needs review', status: 'under_review', keep: (c) => c.reviewKind !== 'dispute' },
  { value: 'disputed', label: 'Disputed', status: 'under_review', keep: (c) => c.reviewKind === 'dispute' },
  { value: 'step-in', label: 'Step-in due', status: 'awaiting_seller' },
  { value: 'expert', label: 'With experts', status: 'expert_review' },
  { value: 'expert-overdue', label: 'Expert overdue' },
  { value: 'all', label: 'All' },
];

export function ClaimsPage() {
  const { session } = useSession();
  const staff = session?.role === 'agent' || session?.role === 'admin';
  const [queue, setQueue] = useState(staff ? 'review' : 'all');
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const chosen = QUEUES.find((q) => q.value === queue);
    setClaims(null);
    if (queue === 'expert-overdue') {
      // Referrals past their due date, and the claims they hold up.
      call(api.GET('/v1/referrals', { params: { query: { limit: 100, status: 'open' } } }))
        .then((page) =>
          Promise.all(
            page.data
              .filter((r) => new Date(r.dueAt) < new Date())
              .map((r) => call(api.GET('/v1/claims/{id}', { params: { path: { id: r.claim.id } } }))),
          ),
        )
        .then(setClaims)
        .catch(setError);
      return;
    }
    call(
      api.GET('/v1/claims', {
        params: { query: { limit: 100, ...(chosen?.status ? { status: chosen.status } : {}) } },
      }),
    )
      .then((page) => {
        const rows = page.data.filter(chosen?.keep ?? (() => true));
        // Step-in due: the nearest seller deadline first.
        if (queue === 'step-in')
          rows.sort((a, b) =>
            (a.deadlines.sellerResponse?.at ?? '').localeCompare(b.deadlines.sellerResponse?.at ?? ''),
          );
        setClaims(rows);
      })
      .catch(setError);
  }, [queue]);
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
      {staff && (
        <SegmentedControl
          value={queue}
          onChange={setQueue}
          data={QUEUES.map((q) => ({ value: q.value, label: q.label }))}
          aria-label="Queue"
        />
      )}
      <ProblemAlert error={error} />
      {claims && claims.length === 0 && <Text c="dimmed">Nothing here.</Text>}
      {claims && claims.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Claim</Table.Th>
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
                      {c.type.replace('_', ' ')} · {c.id.slice(-8)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    <Money value={c.amount} />
                  </Table.Td>
                  <Table.Td>{new Date(c.filedAt).toLocaleDateString()}</Table.Td>
                  <Table.Td>
                    <Deadline
                      deadline={
                        c.deadlines.sellerResponse ??
                        c.deadlines.claimantInformation ??
                        c.deadlines.appeal ??
                        null
                      }
                    />
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
