import { LineChart } from '@mantine/charts';
import { Card, Group, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { ProblemAlert } from './ui.tsx';

type Performance = paths['/v1/screening/performance']['get']['responses'][200]['content']['application/json'];

/**
 * How the screen is doing (GET /v1/screening/performance): payouts held on a flag, released and
 * cancelled, and per signal how many of the decided claims it fired on were abusive and how many
 * were false alarms, so an operator tunes a weight with evidence (`redress screening fit`).
 */
export function ScreeningPanel() {
  const [data, setData] = useState<Performance | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // The dashboard's window: the last 90 days.
    const to = new Date(Date.now() + 86_400_000);
    const from = new Date(to.getTime() - 90 * 86_400_000);
    call(
      api.GET('/v1/screening/performance', {
        params: { query: { from: from.toISOString(), to: to.toISOString() } },
      }),
    )
      .then(setData)
      .catch(setError);
  }, []);
  if (error) return <ProblemAlert error={error} />;
  if (!data) return null;
  const t = data.totals;
  return (
    <Card withBorder data-testid="screening-panel">
      <Title order={4} mb="xs">
        Screening
      </Title>
      <Group gap="lg" mb="sm">
        <Text size="sm">Payouts held: {t.held}</Text>
        <Text size="sm">Released: {t.released}</Text>
        <Text size="sm">Cancelled: {t.cancelled}</Text>
        <Text size="sm">Confirmed abusive: {t.confirmedAbusive}</Text>
        <Text size="sm">False alarms: {t.falseAlarms}</Text>
      </Group>
      {data.byWeek.length > 1 && (
        <LineChart
          h={180}
          mb="sm"
          data={data.byWeek.map((w) => ({
            week: w.week.slice(5),
            'confirmed abusive': w.confirmedAbusive,
            'false alarms': w.falseAlarms,
          }))}
          dataKey="week"
          series={[
            { name: 'confirmed abusive', color: 'teal.6' },
            { name: 'false alarms', color: 'red.6' },
          ]}
          withLegend
        />
      )}
      {data.bySignal.length === 0 ? (
        <Text size="sm" c="dimmed">
          No decided claims with signals in this period.
        </Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Signal</Table.Th>
              <Table.Th>Decided</Table.Th>
              <Table.Th>Confirmed abusive</Table.Th>
              <Table.Th>False alarms</Table.Th>
              <Table.Th>Precision</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.bySignal.map((s) => (
              <Table.Tr key={s.code}>
                <Table.Td>{s.code.replace(/_/g, ' ')}</Table.Td>
                <Table.Td>{s.labelled}</Table.Td>
                <Table.Td>{s.confirmedAbusive}</Table.Td>
                <Table.Td>{s.falseAlarms}</Table.Td>
                <Table.Td>{s.precision === null ? '—' : `${Math.round(s.precision * 100)} %`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
