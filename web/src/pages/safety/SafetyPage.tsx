import { Badge, Button, Card, Group, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type Alert = components['schemas']['SafetyAlert'];
type Coding =
  paths['/v1/safety/hazard-coding']['get']['responses']['200']['content']['application/json']['data'][number];
type Triage = NonNullable<
  paths['/v1/safety/alerts/{id}/triage']['post']['requestBody']
>['content']['application/json'];
type Hazard = Coding['hazard'];
type Severity = Coding['severity'];

const HAZARDS: Hazard[] = [
  'fire_burn',
  'electric_shock',
  'carbon_monoxide',
  'choking_ingestion',
  'laceration',
  'fall_tip_over',
  'chemical_toxic',
  'allergic_reaction',
  'strangulation_entrapment',
  'other',
];
const SEVERITIES: Severity[] = ['property_damage', 'injury', 'medical_treatment', 'hospitalisation', 'death'];
const words = (s: string) => s.replace(/_/g, ' ');

/** Days since a moment, for "by age": the oldest open alert is the one waiting longest. */
const ageDays = (iso: string) => Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);

/**
 * The safety officer's console: open alerts, reportable first and then oldest, with triage; and the
 * claims whose hazard the classifier was unsure of, for a person to code.
 */
export function SafetyPage() {
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [queue, setQueue] = useState<Coding[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [coding, setCoding] = useState<Record<string, { hazard: Hazard; severity: Severity }>>({});

  const load = useCallback(() => {
    call(api.GET('/v1/safety/alerts', { params: { query: { status: 'open', limit: 200 } } }))
      .then((r) =>
        setAlerts(
          [...r.data].sort(
            (a, b) => Number(b.reportable) - Number(a.reportable) || a.createdAt.localeCompare(b.createdAt),
          ),
        ),
      )
      .catch(setError);
    call(api.GET('/v1/safety/hazard-coding', { params: { query: { limit: 200 } } }))
      .then((r) => setQueue(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      load();
    } catch (e) {
      setError(e);
    }
  };
  const triage = (id: string, body: Triage) =>
    act(() => call(api.POST('/v1/safety/alerts/{id}/triage', { params: { path: { id } }, body })));

  return (
    <Stack>
      <Title order={2}>Safety</Title>
      <ProblemAlert error={error} />
      <Title order={3}>Open alerts</Title>
      {alerts?.length === 0 && <Text c="dimmed">No open alerts.</Text>}
      {alerts?.map((a) => (
        <Card key={a.id} withBorder data-testid={`alert-${a.id}`}>
          <Group justify="space-between">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={600}>
                  {words(a.hazard)} · {a.productId}
                </Text>
                {a.reportable && <Badge color="red">reportable</Badge>}
                <Badge variant="light">{words(a.rule)}</Badge>
              </Group>
              <Text size="sm">{a.evidence.reason}</Text>
              <Text size="xs" c="dimmed">
                raised {ageDays(a.createdAt)} days ago · {a.evidence.claimIds.length} claims
              </Text>
            </Stack>
            <Stack gap="xs" w={340}>
              <Textarea
                label="Note or reason"
                size="xs"
                value={reason[a.id] ?? ''}
                onChange={(e) => setReason({ ...reason, [a.id]: e.currentTarget.value })}
              />
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => void triage(a.id, { action: 'monitor', note: reason[a.id] })}
                >
                  Monitor
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  color="orange"
                  onClick={() => void triage(a.id, { action: 'pause_listing', note: reason[a.id] })}
                >
                  Pause listing
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  color="gray"
                  onClick={() => void triage(a.id, { action: 'dismiss', reason: reason[a.id] ?? '' })}
                >
                  Dismiss
                </Button>
              </Group>
            </Stack>
          </Group>
        </Card>
      ))}
      <Title order={3}>Claims awaiting hazard coding</Title>
      {queue?.length === 0 && <Text c="dimmed">Nothing to code.</Text>}
      {queue && queue.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Narrative</Table.Th>
              <Table.Th>Machine</Table.Th>
              <Table.Th>Why a person</Table.Th>
              <Table.Th>Coding</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queue.map((c) => {
              const chosen = coding[c.claimId] ?? { hazard: c.hazard, severity: c.severity };
              return (
                <Table.Tr key={c.claimId} data-testid={`coding-${c.claimId}`}>
                  <Table.Td maw={360}>{c.description}</Table.Td>
                  <Table.Td>
                    {words(c.hazard)}, {words(c.severity)} ({Math.round(c.confidence * 100)}%)
                  </Table.Td>
                  <Table.Td>{c.reviewReasons.map(words).join(', ')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Select
                        aria-label="Hazard"
                        size="xs"
                        data={HAZARDS.map((h) => ({ value: h, label: words(h) }))}
                        value={chosen.hazard}
                        allowDeselect={false}
                        onChange={(v) =>
                          v && setCoding({ ...coding, [c.claimId]: { ...chosen, hazard: v as Hazard } })
                        }
                      />
                      <Select
                        aria-label="Severity"
                        size="xs"
                        data={SEVERITIES.map((s) => ({ value: s, label: words(s) }))}
                        value={chosen.severity}
                        allowDeselect={false}
                        onChange={(v) =>
                          v && setCoding({ ...coding, [c.claimId]: { ...chosen, severity: v as Severity } })
                        }
                      />
                      <Button
                        size="xs"
                        onClick={() =>
                          void act(() =>
                            call(
                              api.POST('/v1/safety/hazard-coding/{claimId}', {
                                params: { path: { claimId: c.claimId } },
                                body: chosen,
                              }),
                            ),
                          )
                        }
                      >
                        Code
                      </Button>
                    </Group>
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
