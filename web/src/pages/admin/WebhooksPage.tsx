import { Alert, Badge, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';
import { useSession } from '../../session.tsx';

type Endpoint = components['schemas']['WebhookEndpoint'];
type Delivery = components['schemas']['WebhookDelivery'];
type TestResult = components['schemas']['WebhookTestDelivery'];

/**
 * Webhook endpoints of the marketplace (admin) or of the signed-in seller or insurer: register,
 * send a test, read deliveries with their attempts, replay a dead one, pause, rotate the secret.
 */
export function WebhooksPage({ marketplaceId }: { marketplaceId?: string }) {
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('*');
  const [marketplace, setMarketplace] = useState(marketplaceId ?? '');
  const [open, setOpen] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [test, setTest] = useState<TestResult | null>(null);
  const session = useSession().session?.role;

  const load = useCallback(() => {
    call(api.GET('/v1/webhook-endpoints'))
      .then((r) => setEndpoints(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const loadDeliveries = useCallback((id: string) => {
    setOpen(id);
    call(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } } }))
      .then((r) => setDeliveries(r.data))
      .catch(setError);
  }, []);

  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      load();
      if (open) loadDeliveries(open);
    } catch (e) {
      setError(e);
    }
  };
  const register = () =>
    act(async () => {
      const created = await call(
        api.POST('/v1/webhook-endpoints', {
          body: {
            url: url.trim(),
            eventTypes: types
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
            ...(session === 'admin' ? { marketplaceId: marketplace.trim() } : {}),
          },
        }),
      );
      setSecret(created.secret);
      setUrl('');
    });
  const path = (id: string) => ({ params: { path: { id } } });

  return (
    <Stack>
      <Title order={2}>Webhook endpoints</Title>
      <ProblemAlert error={error} />
      {secret && (
        <Alert
          color="yellow"
          title="Signing secret: copy it now, it is not shown again"
          data-testid="new-secret"
        >
          <Code>{secret}</Code>{' '}
          <Button size="xs" variant="subtle" onClick={() => setSecret(null)}>
            Done
          </Button>
        </Alert>
      )}
      {test && (
        <Alert
          color={test.delivered ? 'teal' : 'red'}
          title={test.delivered ? 'Test delivered' : 'Test not delivered'}
          data-testid="test-result"
        >
          {test.statusCode !== null ? `HTTP ${test.statusCode}` : test.error} in {test.durationMs} ms
        </Alert>
      )}
      <Group align="end">
        <TextInput label="URL" value={url} onChange={(e) => setUrl(e.currentTarget.value)} w={320} />
        <TextInput
          label="Event types"
          description='comma-separated, or "*" for all'
          value={types}
          onChange={(e) => setTypes(e.currentTarget.value)}
        />
        {session === 'admin' && (
          <TextInput
            label="Marketplace"
            value={marketplace}
            onChange={(e) => setMarketplace(e.currentTarget.value)}
          />
        )}
        <Button onClick={() => void register()}>Register</Button>
      </Group>
      {endpoints?.length === 0 && <Text c="dimmed">No endpoints.</Text>}
      {endpoints?.map((e) => (
        <Card key={e.id} withBorder data-testid={`endpoint-${e.id}`}>
          <Group justify="space-between">
            <Stack gap={2}>
              <Text fw={600}>{e.url}</Text>
              <Text size="sm" c="dimmed">
                {e.owner.role} {e.owner.id} · {e.eventTypes.join(', ')}
              </Text>
            </Stack>
            <Group gap="xs">
              <Badge color={e.active ? 'teal' : 'gray'}>{e.active ? 'active' : 'paused'}</Badge>
              <Button
                size="xs"
                variant="light"
                onClick={() =>
                  void act(async () =>
                    setTest(await call(api.POST('/v1/webhook-endpoints/{id}/test', path(e.id)))),
                  )
                }
              >
                Send test
              </Button>
              <Button size="xs" variant="light" onClick={() => loadDeliveries(e.id)}>
                Deliveries
              </Button>
              <Button
                size="xs"
                variant="light"
                onClick={() =>
                  void act(async () => {
                    const rotated = await call(
                      api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { ...path(e.id), body: {} }),
                    );
                    setSecret(rotated.secret);
                  })
                }
              >
                Rotate secret
              </Button>
              <Button
                size="xs"
                color={e.active ? 'red' : 'teal'}
                variant="light"
                onClick={() =>
                  void act(() =>
                    call(
                      e.active
                        ? api.POST('/v1/webhook-endpoints/{id}/disable', path(e.id))
                        : api.POST('/v1/webhook-endpoints/{id}/enable', path(e.id)),
                    ),
                  )
                }
              >
                {e.active ? 'Disable' : 'Enable'}
              </Button>
            </Group>
          </Group>
          {open === e.id && (
            <Table mt="sm" data-testid="deliveries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {deliveries.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={4}>No deliveries yet.</Table.Td>
                  </Table.Tr>
                )}
                {deliveries.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{d.eventType}</Table.Td>
                    <Table.Td>{d.status}</Table.Td>
                    <Table.Td>
                      {d.attempts.map((a) => (
                        <Text key={a.attempt} size="xs">
                          #{a.attempt} {new Date(a.at).toLocaleString()}: {a.statusCode ?? a.error} (
                          {a.durationMs} ms)
                        </Text>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      {d.status === 'dead' && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() =>
                            void act(() =>
                              call(
                                api.POST('/v1/webhook-deliveries/{id}/retry', {
                                  params: { path: { id: d.id } },
                                }),
                              ),
                            )
                          }
                        >
                          Replay
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      ))}
    </Stack>
  );
}
