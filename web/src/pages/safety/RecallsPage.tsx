import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type Match = components['schemas']['PublicRecallMatch'];
type Recall = components['schemas']['Recall'];
const words = (s: string) => s.replace(/_/g, ' ');

/**
 * Public recall notices matched to the marketplace's products, for a person to confirm (and
 * pause the listing) or reject; and the marketplace's own recalls with their buyers' progress.
 */
export function RecallsPage() {
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [recalls, setRecalls] = useState<Recall[] | null>(null);
  const [note, setNote] = useState<Record<string, string>>({});
  const [pause, setPause] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    call(
      api.GET('/v1/safety/public-recall-matches', { params: { query: { status: 'pending', limit: 200 } } }),
    )
      .then((r) => setMatches(r.data))
      .catch(setError);
    call(api.GET('/v1/recalls', { params: { query: { limit: 200 } } }))
      .then((r) => setRecalls(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const decide = async (m: Match, decision: 'confirm' | 'reject') => {
    setError(null);
    const text = note[m.id]?.trim() ?? '';
    try {
      await call(
        api.POST('/v1/safety/public-recall-matches/{id}/decision', {
          params: { path: { id: m.id } },
          body:
            decision === 'confirm'
              ? { decision, pauseListing: pause[m.id] ?? false, ...(text ? { note: text } : {}) }
              : { decision, note: text },
        }),
      );
      load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Stack>
      <Title order={2}>Recalls</Title>
      <ProblemAlert error={error} />
      <Title order={3}>Public recall matches to confirm</Title>
      {matches?.length === 0 && <Text c="dimmed">No matches waiting.</Text>}
      {matches?.map((m) => (
        <Card key={m.id} withBorder data-testid={`match-${m.id}`}>
          <Group justify="space-between" align="start">
            <Stack gap={2} maw={560}>
              <Text fw={600}>
                {m.recall.recallNumber}: {m.recall.title}
              </Text>
              <Text size="sm">
                Product {m.productId} · matched by {words(m.method)} ({Math.round(m.score * 100)}%) on{' '}
                {m.matchedTerms.join(', ') || '—'}
              </Text>
              <Text size="sm" c="dimmed">
                Brands {m.recall.brands.join(', ') || '—'} · models {m.recall.modelNumbers.join(', ') || '—'}{' '}
                · remedy {m.recall.remedy}
              </Text>
              {m.recall.url && (
                <Anchor href={m.recall.url} size="sm" target="_blank" rel="noreferrer">
                  The regulator's notice
                </Anchor>
              )}
            </Stack>
            <Stack gap="xs" w={320}>
              <TextInput
                label="Note (a reason is needed to reject)"
                size="xs"
                value={note[m.id] ?? ''}
                onChange={(e) => setNote({ ...note, [m.id]: e.currentTarget.value })}
              />
              <Checkbox
                label="Pause the listing"
                checked={pause[m.id] ?? false}
                onChange={(e) => setPause({ ...pause, [m.id]: e.currentTarget.checked })}
              />
              <Group gap="xs">
                <Button size="xs" color="red" onClick={() => void decide(m, 'confirm')}>
                  Confirm
                </Button>
                <Button size="xs" variant="light" color="gray" onClick={() => void decide(m, 'reject')}>
                  Reject
                </Button>
              </Group>
            </Stack>
          </Group>
        </Card>
      ))}
      <Title order={3}>Recalls and buyer notices</Title>
      {recalls?.length === 0 && <Text c="dimmed">No recalls.</Text>}
      {recalls && recalls.length > 0 && (
        <Table data-testid="recalls">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Product</Table.Th>
              <Table.Th>Hazard</Table.Th>
              <Table.Th>Remedy</Table.Th>
              <Table.Th>Buyers told</Table.Th>
              <Table.Th>Answered</Table.Th>
              <Table.Th>Remedied</Table.Th>
              <Table.Th>Notices</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {recalls.map((r) => {
              const { notified, responded, remedied } = r.progress;
              const share = notified > 0 ? Math.round((remedied / notified) * 100) : 0;
              return (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    {r.productId} <Badge variant="light">{r.status}</Badge>
                  </Table.Td>
                  <Table.Td>{words(r.hazard)}</Table.Td>
                  <Table.Td>{r.remedy}</Table.Td>
                  <Table.Td>{notified}</Table.Td>
                  <Table.Td>{responded}</Table.Td>
                  <Table.Td miw={140}>
                    <Text size="sm">
                      {remedied} of {notified}
                    </Text>
                    <Progress value={share} aria-label={`${share}% of buyers remedied`} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`/v1/recalls/${r.id}/notices.csv`} size="sm">
                      CSV
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
