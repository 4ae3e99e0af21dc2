import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { ProblemAlert } from '../components/ui.tsx';

type Referral = components['schemas']['Referral'];

export function ReferralsPage() {
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/v1/referrals', { params: { query: { limit: 100 } } }))
      .then((page) => setReferrals(page.data))
      .catch(setError);
  }, []);
  return (
    <Stack>
      <Title order={2}>Claims referred to you</Title>
      <ProblemAlert error={error} />
      {referrals?.length === 0 && <Text c="dimmed">No referrals.</Text>}
      {referrals && referrals.length > 0 && (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Referral</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {referrals.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/referrals/${r.id}`}>
                    {r.id.slice(-8)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{r.status}</Table.Td>
                <Table.Td>{r.reason.replace(/_/g, ' ')}</Table.Td>
                <Table.Td>{new Date(r.dueAt).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
