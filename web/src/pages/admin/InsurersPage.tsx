import { Badge, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { Money, ProblemAlert } from '../../components/ui.tsx';

type Insurer = components['schemas']['Insurer'];
type QuoteRequest = components['schemas']['QuoteRequest'];

const STATUS_COLOR: Record<string, string> = {
  vetted: 'green',
  applied: 'yellow',
  suspended: 'red',
  none: 'gray',
};

/** A provider's published appetite and rating table, as data, read-only. */
function Appetite({ insurer }: { insurer: Insurer }) {
  const a = insurer.appetite;
  if (!a) return <Text c="dimmed">No appetite published.</Text>;
  const money = (value: number) => <Money value={{ value, currency: a.currency }} />;
  return (
    <Stack gap={4} data-testid="appetite">
      <Text size="sm">
        Categories: {a.categories.accepted ? a.categories.accepted.join(', ') : 'any'}
        {a.categories.excluded.length > 0 && `; never ${a.categories.excluded.join(', ')}`}
      </Text>
      <Text size="sm">
        Limits: {money(a.limits.minPerOccurrence)}–{money(a.limits.maxPerOccurrence)} per occurrence,{' '}
        {money(a.limits.maxAggregate)} aggregate; deductible {money(a.deductible)}
      </Text>
      <Text size="sm">
        Quotes by {a.quoteBy.replace(/_/g, ' ')}, valid {a.quoteValidDays} days
        {a.policyExclusions.length > 0 && `; excludes ${a.policyExclusions.join(', ')}`}
      </Text>
      <Text size="sm" fw={600}>
        Rating table
      </Text>
      <Code block>{JSON.stringify(a.rating, null, 2)}</Code>
    </Stack>
  );
}

/** The insurance network: each provider's vetting, its appetite, and the quotes it has issued. */
export function InsurersPage() {
  const [insurers, setInsurers] = useState<Insurer[] | null>(null);
  const [requests, setRequests] = useState<QuoteRequest[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [note, setNote] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    call(api.GET('/v1/insurers'))
      .then((r) => setInsurers(r.data))
      .catch(setError);
    call(api.GET('/v1/insurance/quote-requests', { params: { query: { limit: 200 } } }))
      .then((r) => setRequests(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const vet = async (id: string, decision: 'vetted' | 'suspended') => {
    setError(null);
    try {
      const n = note[id]?.trim();
      await call(
        api.POST('/v1/insurers/{id}/vetting', {
          params: { path: { id } },
          body: { decision, ...(n ? { note: n } : {}) },
        }),
      );
      load();
    } catch (e) {
      setError(e);
    }
  };
  const quotesBy = (insurerId: string) =>
    (requests ?? []).flatMap((r) => r.quotes.filter((q) => q.insurerId === insurerId).map((q) => ({ r, q })));

  return (
    <Stack>
      <Title order={2}>Insurers and the network</Title>
      <ProblemAlert error={error} />
      {insurers?.length === 0 && <Text c="dimmed">No insurers.</Text>}
      {insurers?.map((i) => {
        const issued = quotesBy(i.id);
        return (
          <Card key={i.id} withBorder data-testid={`insurer-${i.id}`}>
            <Stack>
              <Group justify="space-between">
                <Group gap="xs">
                  <Text fw={600}>
                    {i.name} ({i.id})
                  </Text>
                  <Badge color={STATUS_COLOR[i.networkStatus] ?? 'gray'} variant="light">
                    {i.networkStatus}
                  </Badge>
                  {i.financialRating && <Badge variant="outline">rated {i.financialRating}</Badge>}
                  <Text size="sm" c="dimmed">
                    {issued.length} quotes issued
                  </Text>
                </Group>
                <Group gap="xs" align="end">
                  <TextInput
                    aria-label={`Vetting note for ${i.name}`}
                    placeholder="Vetting note"
                    size="xs"
                    value={note[i.id] ?? ''}
                    onChange={(e) => setNote({ ...note, [i.id]: e.currentTarget.value })}
                  />
                  {(i.networkStatus === 'applied' || i.networkStatus === 'suspended') && (
                    <Button size="xs" onClick={() => void vet(i.id, 'vetted')}>
                      Vet into the network
                    </Button>
                  )}
                  {i.networkStatus === 'vetted' && (
                    <Button size="xs" color="red" variant="light" onClick={() => void vet(i.id, 'suspended')}>
                      Suspend
                    </Button>
                  )}
                  <Button size="xs" variant="subtle" onClick={() => setOpen(open === i.id ? null : i.id)}>
                    {open === i.id ? 'Hide details' : 'Appetite and quotes'}
                  </Button>
                </Group>
              </Group>
              {open === i.id && (
                <>
                  <Appetite insurer={i} />
                  <Text fw={600} size="sm">
                    Quotes issued
                  </Text>
                  {issued.length === 0 ? (
                    <Text c="dimmed" size="sm">
                      None yet.
                    </Text>
                  ) : (
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Seller</Table.Th>
                          <Table.Th>Premium</Table.Th>
                          <Table.Th>Per occurrence</Table.Th>
                          <Table.Th>Status</Table.Th>
                          <Table.Th>Valid until</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {issued.map(({ r, q }) => (
                          <Table.Tr key={q.id}>
                            <Table.Td>{r.sellerId}</Table.Td>
                            <Table.Td>
                              <Money value={q.premium} />
                            </Table.Td>
                            <Table.Td>
                              <Money value={q.perOccurrence} />
                            </Table.Td>
                            <Table.Td>{q.status}</Table.Td>
                            <Table.Td>{new Date(q.validUntil).toLocaleDateString()}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </>
              )}
            </Stack>
          </Card>
        );
      })}
    </Stack>
  );
}
