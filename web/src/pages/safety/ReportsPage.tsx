import { Anchor, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type Report = components['schemas']['RegulatorReport'];
const COLOR = { due: 'orange', overdue: 'red', submitted: 'green' } as const;

/** Hours left, in words: under a day the clock is what matters. */
function hoursLeft(hours: number | null): string {
  if (hours === null) return '';
  if (hours < 0) return `${Math.ceil(-hours)} hours late`;
  return `${Math.floor(hours)} hours left`;
}

/** Regulator reports, drafted from severe alerts, with their clock, the PDF to file, and the submission. */
export function ReportsPage() {
  const [reports, setReports] = useState<Report[] | null>(null);
  const [reference, setReference] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    call(api.GET('/v1/safety/reports', { params: { query: { limit: 200 } } }))
      .then((r) =>
        // Those still due first, the least time left first; submitted ones after.
        setReports(
          [...r.data].sort(
            (a, b) =>
              Number(a.status === 'submitted') - Number(b.status === 'submitted') ||
              (a.hoursLeft ?? Number.POSITIVE_INFINITY) - (b.hoursLeft ?? Number.POSITIVE_INFINITY),
          ),
        ),
      )
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const submit = async (id: string) => {
    setError(null);
    try {
      await call(
        api.POST('/v1/safety/reports/{id}/submission', {
          params: { path: { id } },
          body: { reference: reference[id] ?? '' },
        }),
      );
      load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Stack>
      <Title order={2}>Regulator reports</Title>
      <ProblemAlert error={error} />
      {reports?.length === 0 && <Text c="dimmed">No reports.</Text>}
      {reports?.map((r) => (
        <Card key={r.id} withBorder data-testid={`report-${r.id}`}>
          <Group justify="space-between" align="start">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={600}>
                  {r.regulator.toUpperCase()} report · product {r.productId}
                </Text>
                <Badge color={COLOR[r.status]}>{r.status}</Badge>
                {r.status !== 'submitted' && (
                  <Text
                    span
                    fw={600}
                    c={r.status === 'overdue' ? 'red.9' : undefined}
                    data-testid="hours-left"
                  >
                    {hoursLeft(r.hoursLeft)}
                  </Text>
                )}
              </Group>
              {r.deadline && (
                <Text size="sm" c="dimmed">
                  Due {r.deadline.local} ({r.deadline.timeZone})
                </Text>
              )}
              {r.submittedAt && (
                <Text size="sm">
                  Submitted {new Date(r.submittedAt).toLocaleString()} · reference {r.submissionReference}
                </Text>
              )}
              <Anchor href={`/v1/safety/reports/${r.id}/pdf`} size="sm" target="_blank">
                The report as a PDF
              </Anchor>
            </Stack>
            {r.status !== 'submitted' && (
              <Group gap="xs" align="end">
                <TextInput
                  label="Regulator's reference"
                  size="xs"
                  value={reference[r.id] ?? ''}
                  onChange={(e) => setReference({ ...reference, [r.id]: e.currentTarget.value })}
                />
                <Button size="xs" onClick={() => void submit(r.id)}>
                  Record submission
                </Button>
              </Group>
            )}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
