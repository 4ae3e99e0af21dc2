import {
  Button,
  Card,
  Group,
  List,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import {
  type Column,
  formatMoney,
  Money,
  ProblemAlert,
  ResponsiveTable,
  StatusBadge,
} from '../components/ui.tsx';
import { useSession } from '../session.tsx';

type SellerInsurance = components['schemas']['SellerInsurance'];
type QuoteRequest = components['schemas']['QuoteRequest'];

const STANDING_COLORS: Record<string, string> = {
  compliant: 'green',
  grace: 'yellow',
  not_compliant: 'red',
  not_required: 'gray',
};

type Policy = SellerInsurance['policies'][number];

const POLICY_COLUMNS: Column<Policy>[] = [
  { header: 'Policy', cell: (p) => `${p.policyNumber} (insurer ${p.insurerId})` },
  { header: 'Status', cell: (p) => <StatusBadge status={p.status} color="blue" /> },
  { header: 'Per occurrence', cell: (p) => <Money value={p.perOccurrence} /> },
  {
    header: 'Expires',
    cell: (p) =>
      new Date(p.expiresAt).toLocaleDateString('en-US', { day: 'numeric', month: 'short', year: 'numeric' }),
  },
  { header: 'Falls short', cell: (p) => p.shortfalls.map((s) => s.detail).join('; ') || '—' },
];

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
            <StatusBadge status={insurance.status} color={STANDING_COLORS[insurance.status] ?? 'gray'} />
            {insurance.graceUntil && (
              <Text size="sm">
                cover due by{' '}
                {new Date(insurance.graceUntil).toLocaleDateString('en-US', {
                  weekday: 'short',
                  day: 'numeric',
                  month: 'short',
                  year: 'numeric',
                })}
              </Text>
            )}
          </Group>
          <Stack mt="sm">
            {insurance.policies.length === 0 && (
              <Text size="sm">No policy on file. Ask the insurance network for quotes below.</Text>
            )}
            {insurance.policies.length > 0 && (
              <ResponsiveTable
                rows={insurance.policies}
                columns={POLICY_COLUMNS}
                rowKey={(p) => p.id}
                label="Your insurance policies"
              />
            )}
          </Stack>
        </Card>
      )}
      <Card withBorder>
        <form onSubmit={ask}>
          <Stack>
            <Title order={3} size="h4">
              Get quotes from the insurance network
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Product category"
                description="As on your product listings, e.g. kitchen_appliances"
                {...form.getInputProps('category')}
              />
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
                    <StatusBadge status={q.status} color="teal" />
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
