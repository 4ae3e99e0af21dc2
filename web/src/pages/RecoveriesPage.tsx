import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { Money, ProblemAlert } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

type Recovery = components['schemas']['Recovery'];

/** What the marketplace recovers after paying in a seller's place: a seller sees its own, agents all. */
export function RecoveriesPage() {
  const { session } = useSession();
  const [recoveries, setRecoveries] = useState<Recovery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/v1/recoveries', { params: { query: { limit: 100 } } }))
      .then((page) => setRecoveries(page.data))
      .catch(setError);
  }, []);
  return (
    <Stack>
      <Title order={2}>
        {session?.role === 'seller' ? 'What the marketplace recovers from you' : 'Recoveries'}
      </Title>
      <ProblemAlert error={error} />
      {recoveries?.length === 0 && <Text c="dimmed">No recoveries.</Text>}
      {recoveries && recoveries.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Claim</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Amount</Table.Th>
                <Table.Th>Outstanding</Table.Th>
                <Table.Th>Not taken before</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recoveries.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Link to={`/claims/${r.claimId}`}>{r.claimId.slice(-8)}</Link>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{r.status.replace(/_/g, ' ')}</Badge>
                    {r.waiverReason && <Text size="xs">{r.waiverReason.replace(/_/g, ' ')}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Money value={r.amount} />
                  </Table.Td>
                  <Table.Td>
                    <Money value={r.outstanding} />
                  </Table.Td>
                  <Table.Td>{r.dueAt ? new Date(r.dueAt).toLocaleString() : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
