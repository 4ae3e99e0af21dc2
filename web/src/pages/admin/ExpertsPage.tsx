import { Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type Expert = paths['/v1/experts']['get']['responses']['200']['content']['application/json']['data'][number];

/** The independent fraud experts: register one, and see who carries what and who is late. */
export function ExpertsPage() {
  const [experts, setExperts] = useState<Expert[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState({ id: '', marketplaceId: '', organisation: '', name: '' });
  const [registered, setRegistered] = useState<string | null>(null);

  const load = useCallback(() => {
    call(api.GET('/v1/experts'))
      .then((r) => setExperts(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const register = async () => {
    setError(null);
    try {
      const { id, ...body } = form;
      await call(api.PUT('/v1/experts/{id}', { params: { path: { id } }, body }));
      setRegistered(
        `${form.name} registered. Give them a key with role expert and party ${form.id} (API keys page).`,
      );
      setForm({ id: '', marketplaceId: form.marketplaceId, organisation: '', name: '' });
      load();
    } catch (e) {
      setError(e);
    }
  };
  const field = (name: keyof typeof form, label: string) => (
    <TextInput
      label={label}
      value={form[name]}
      onChange={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
    />
  );

  return (
    <Stack>
      <Title order={2}>Experts</Title>
      <ProblemAlert error={error} />
      <Card withBorder>
        <Stack>
          <Title order={3}>Register an expert</Title>
          <Group grow align="start">
            {field('id', 'Expert id')}
            {field('marketplaceId', 'Marketplace')}
            {field('organisation', 'Organisation')}
            {field('name', 'Name')}
          </Group>
          <Group>
            <Button onClick={() => void register()}>Register</Button>
            {registered && <Text data-testid="expert-registered">{registered}</Text>}
          </Group>
        </Stack>
      </Card>
      <Title order={3}>Workload</Title>
      {experts?.length === 0 && <Text c="dimmed">No active experts.</Text>}
      {experts && experts.length > 0 && (
        <Table data-testid="experts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Expert</Table.Th>
              <Table.Th>Organisation</Table.Th>
              <Table.Th>Marketplace</Table.Th>
              <Table.Th>Open referrals</Table.Th>
              <Table.Th>Overdue</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {experts.map((x) => (
              <Table.Tr key={x.id}>
                <Table.Td>
                  {x.name} ({x.id})
                </Table.Td>
                <Table.Td>{x.organisation}</Table.Td>
                <Table.Td>{x.marketplaceId}</Table.Td>
                <Table.Td>{x.openReferrals}</Table.Td>
                <Table.Td>
                  {x.overdueReferrals > 0 ? (
                    <Badge color="red">{x.overdueReferrals} overdue</Badge>
                  ) : (
                    <Text span c="dimmed">
                      none
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
