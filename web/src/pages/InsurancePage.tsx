import {
  Badge,
  Button,
  Card,
  Group,
  List,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { formatMoney, Money, ProblemAlert } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

type SellerInsurance = components['schemas']['SellerInsurance'];
type QuoteRequest = components['schemas']['QuoteRequest'];

const STANDING_COLORS: Record<string, string> = {
  compliant: 'green',
  grace: 'yellow',
  not_compliant: 'red',
  not_required: 'gray',
};

/** The seller's cover on file and its standing, and the insurance network's quotes side by side. */
export function InsurancePage() {
  const { session } = useSession();
  const sellerId = session?.partyId ?? '';
  const [insurance, setInsurance] = useState<SellerInsurance | null>(null);
  const [request, setRequest] = useState<QuoteRequest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    call(api.GET('/v1/sellers/{id}/insurance', { params: { path: { id: sellerId } } }))
      .then(setInsurance)
      .catch(setError);
  }, [sellerId]);
  useEffect(load, [load]);
  const form = useForm({
    initialValues: {
      category: 'kitchen_appliances',
      annualSales: 100_000,
      perOccurrence: 1_000_000,
      aggregate: 2_000_000,
    },
  });
  const usd = (dollars: number) => ({ value: Math.round(dollars * 100), currency: 'USD' });
  const ask = form.onSubmit((v) =>
    call(
      api.POST('/v1/insurance/quote-requests', {
        body: {
          sales: [{ category: v.category, annualSales: usd(v.annualSales) }],
          perOccurrence: usd(v.perOccurrence),
          aggregate: usd(v.aggregate),
        },
      }),
    )
      .then(setRequest)
      .catch(setError),
  );
  const bind = (quoteId: string) =>
    call(api.POST('/v1/insurance/quotes/{id}/bind', { params: { path: { id: quoteId } } }))
      .then(
        () =>
          request &&
          call(api.GET('/v1/insurance/quote-requests/{id}', { params: { path: { id: request.id } } })).then(
            setRequest,
          ),
      )
      .catch(setError);
  return (
    <Stack>
      <Title order={2}>Insurance</Title>
      <ProblemAlert error={error} />
      {insurance && (
        <Card withBorder>
          <Group>
            <Text>Your standing:</Text>
            <Badge color={STANDING_COLORS[insurance.status] ?? 'gray'}>
              {insurance.status.replace('_', ' ')}
            </Badge>
            {insurance.graceUntil && (
              <Text size="sm">cover due by {new Date(insurance.graceUntil).toLocaleDateString()}</Text>
            )}
          </Group>
          <Table mt="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Policy</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Per occurrence</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Falls short</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {insurance.policies.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    {p.insurerId} · {p.policyNumber}
                  </Table.Td>
                  <Table.Td>{p.status.replace('_', ' ')}</Table.Td>
                  <Table.Td>
                    <Money value={p.perOccurrence} />
                  </Table.Td>
                  <Table.Td>{new Date(p.expiresAt).toLocaleDateString()}</Table.Td>
                  <Table.Td>{p.shortfalls.map((s) => s.detail).join('; ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <Card withBorder>
        <form onSubmit={ask}>
          <Stack>
            <Title order={4}>Get quotes from the insurance network</Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Product category" {...form.getInputProps('category')} />
              <NumberInput label="Annual sales (USD)" min={0} {...form.getInputProps('annualSales')} />
              <NumberInput
                label="Per-occurrence limit (USD)"
                min={0}
                {...form.getInputProps('perOccurrence')}
              />
              <NumberInput label="Aggregate limit (USD)" min={0} {...form.getInputProps('aggregate')} />
            </SimpleGrid>
            <Button type="submit">Ask for quotes</Button>
          </Stack>
        </form>
      </Card>
      {request && (
        <Stack>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            {request.quotes.map((q) => (
              <Card withBorder key={q.id}>
                <Stack gap={4}>
                  <Text fw={700}>
                    {q.insurerName} ({q.financialRating ?? 'unrated'})
                  </Text>
                  <Text size="xl">{formatMoney(q.premium)} / year</Text>
                  <Text size="sm">
                    Limits <Money value={q.perOccurrence} /> / <Money value={q.aggregate} />, deductible{' '}
                    <Money value={q.deductible} />
                  </Text>
                  <Text size="sm">Platform fee: {formatMoney(q.platformFee)}</Text>
                  <List size="xs">
                    {q.exclusions.map((x) => (
                      <List.Item key={x}>Excludes: {x}</List.Item>
                    ))}
                  </List>
                  {q.status === 'offered' ? (
                    <Button size="xs" onClick={() => void bind(q.id)}>
                      Bind this quote
                    </Button>
                  ) : (
                    <Badge>{q.status.replace('_', ' ')}</Badge>
                  )}
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
          {request.declinedBy.map((d) => (
            <Text key={d.insurerId} size="sm" c="dimmed">
              {d.name} does not quote you: {d.rules.map((r) => r.detail).join('; ')}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
