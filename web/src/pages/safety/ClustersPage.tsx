import { LineChart } from '@mantine/charts';
import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type Clusters = paths['/v1/safety/clusters']['get']['responses']['200']['content']['application/json'];

const COLORS = ['red.6', 'orange.6', 'blue.6', 'grape.6', 'teal.6', 'yellow.7', 'indigo.6', 'pink.6'];
const words = (s: string) => s.replace(/_/g, ' ');
const weekLabel = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Claims by brand and hazard, week by week: where a cluster is forming. */
export function ClustersPage() {
  const [clusters, setClusters] = useState<Clusters | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/v1/safety/clusters', { params: { query: { top: 8 } } }))
      .then(setClusters)
      .catch(setError);
  }, []);

  const series = (clusters?.series ?? []).map((s, i) => ({
    name: `s${i}`,
    label: `${s.brand} · ${words(s.hazard)}`,
    color: COLORS[i % COLORS.length] ?? 'gray.6',
  }));
  const data = (clusters?.weeks ?? []).map((week, w) => ({
    week: weekLabel(week),
    ...Object.fromEntries((clusters?.series ?? []).map((s, i) => [`s${i}`, s.counts[w] ?? 0])),
  }));

  return (
    <Stack>
      <Title order={2}>Clusters by brand and hazard</Title>
      <ProblemAlert error={error} />
      <Text c="dimmed" size="sm">
        Claims per week over the last 12 weeks, for the busiest brand and hazard pairs. A brand sold under
        many product ids counts as one; claims awaiting a person's hazard coding count once coded.
      </Text>
      {clusters?.series.length === 0 && <Text c="dimmed">No claims with a hazard in these weeks.</Text>}
      {clusters && clusters.series.length > 0 && (
        <Card withBorder data-testid="clusters-chart">
          <LineChart
            h={320}
            data={data}
            dataKey="week"
            series={series}
            withLegend
            curveType="linear"
            yAxisLabel="claims"
            aria-label="Claims per week by brand and hazard"
          />
        </Card>
      )}
      {clusters && clusters.series.length > 0 && (
        <Table data-testid="clusters">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Brand</Table.Th>
              <Table.Th>Hazard</Table.Th>
              <Table.Th>Claims (12 weeks)</Table.Th>
              <Table.Th>This week</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {clusters.series.map((s) => (
              <Table.Tr key={`${s.brandKey}-${s.hazard}`}>
                <Table.Td>{s.brand}</Table.Td>
                <Table.Td>{words(s.hazard)}</Table.Td>
                <Table.Td>{s.total}</Table.Td>
                <Table.Td>{s.counts.at(-1) ?? 0}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
