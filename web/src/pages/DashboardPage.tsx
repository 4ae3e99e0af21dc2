import { BarChart, DonutChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { ResponsiveContainer } from 'recharts';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { ScreeningPanel } from '../components/ScreeningPanel.tsx';
import { ProblemAlert, statusWords } from '../components/ui.tsx';

type Summary = paths['/v1/reports/summary']['get']['responses'][200]['content']['application/json'];
type Trends = paths['/v1/reports/trends']['get']['responses'][200]['content']['application/json'];

const STATUS_COLORS: Record<string, string> = {
  screening: 'gray.4',
  needs_info: 'yellow.6',
  expert_review: 'grape.6',
  awaiting_seller: 'orange.6',
  awaiting_insurer: 'orange.4',
  under_review: 'blue.6',
  approved: 'teal.6',
  paid: 'green.6',
  denied: 'red.6',
  withdrawn: 'gray.6',
  closed: 'dark.4',
};

/** Who paid, in words (the report's keys are payer codes). */
const PAYER_WORDS: Record<string, string> = {
  marketplace: 'Marketplace',
  seller: 'Seller',
  insurer: 'Insurer',
};

/** Whole units of the report's currency on an axis ("$1,200"), cents in the tooltip. */
const moneyFormat = (currency: string, cents: boolean) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    maximumFractionDigits: cents ? 2 : 0,
  });

/**
 * A chart's box of a known height, measured once drawn. Recharts' own container starts at
 * "-1 × -1" and warns about it on every first render; given a starting size here, Mantine's inner
 * container sees it is already inside one and draws at this size, so nothing is logged.
 */
function ChartBox({
  height,
  width = '100%',
  children,
}: {
  height: number;
  width?: number | '100%';
  children: ReactNode;
}) {
  return (
    <ResponsiveContainer
      width={width}
      height={height}
      initialDimension={{ width: typeof width === 'number' ? width : 320, height }}
    >
      {children}
    </ResponsiveContainer>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  );
}

/** The last 90 days of the marketplace at a glance: volume, who paid, how fast, what came back. */
export function DashboardPage() {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [trends, setTrends] = useState<Trends | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const to = new Date(Date.now() + 86_400_000);
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const query = { from: from.toISOString(), to: to.toISOString() };
    Promise.all([
      call(api.GET('/v1/reports/summary', { params: { query } })),
      call(api.GET('/v1/reports/trends', { params: { query } })),
    ])
      .then(([s, t]) => {
        setSummary(s);
        setTrends(t);
      })
      .catch(setError);
  }, []);
  if (error) return <ProblemAlert error={error} />;
  if (!summary || !trends) return null;
  const recovery = summary.recovery;
  const recoverable = recovery.recovered + recovery.offset + recovery.writtenOff + recovery.outstanding;
  const byDay = trends.byDay.map((d) => ({ day: d.day.slice(5), ...d.byStatus }));
  const statuses = Object.keys(STATUS_COLORS).filter((s) => trends.byDay.some((d) => d.byStatus[s]));
  const shareWithin = summary.withinSmallClaimLimit.share;
  const currency = summary.paid.currency ?? 'USD';
  const axisMoney = moneyFormat(currency, false);
  const tipMoney = moneyFormat(currency, true);
  const moneyChart = {
    yAxisLabel: currency,
    valueFormatter: (v: number) => tipMoney.format(v),
    yAxisProps: { tickFormatter: (v: number) => axisMoney.format(v), width: 80 },
  };
  return (
    <Stack>
      <Title order={2}>Dashboard — last 90 days</Title>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label="Claims filed" value={String(summary.claims.total)} />
        <Figure
          label="Within the small-claim limit"
          value={shareWithin === null ? '—' : `${Math.round(shareWithin * 100)} %`}
        />
        <Figure
          label="Median time to payout"
          value={summary.medianHoursToPayout === null ? '—' : `${summary.medianHoursToPayout.toFixed(1)} h`}
        />
        <Figure label="Step-ins" value={String(summary.stepIns)} />
      </SimpleGrid>
      <Card withBorder data-testid="chart-claims-over-time">
        <Title order={3} size="h4" mb="sm">
          Claims over time by status
        </Title>
        <ChartBox height={260}>
          <BarChart
            h={260}
            data={byDay}
            dataKey="day"
            type="stacked"
            series={statuses.map((name) => ({
              name,
              label: statusWords(name),
              color: STATUS_COLORS[name] ?? 'gray.5',
            }))}
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 60 }}
            yAxisLabel="Claims filed"
          />
        </ChartBox>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder data-testid="chart-small-claims">
          <Title order={3} size="h4" mb="sm">
            Within the small-claim limit
          </Title>
          <Group justify="center" h={180}>
            <ChartBox height={160} width={160}>
              <DonutChart
                size={160}
                thickness={28}
                withLabels
                withTooltip={false}
                data={[
                  { name: 'Within', value: summary.withinSmallClaimLimit.count, color: 'teal.6' },
                  {
                    name: 'Above',
                    value: summary.claims.total - summary.withinSmallClaimLimit.count,
                    color: 'orange.6',
                  },
                ]}
              />
            </ChartBox>
          </Group>
          <Text size="sm" ta="center">
            <Text span c="teal.9" fw={700}>
              ●
            </Text>{' '}
            Within the limit: {summary.withinSmallClaimLimit.count} ·{' '}
            <Text span c="orange.9" fw={700}>
              ●
            </Text>{' '}
            Above it: {summary.claims.total - summary.withinSmallClaimLimit.count}
          </Text>
        </Card>
        <Card withBorder data-testid="chart-recovery">
          <Title order={3} size="h4" mb="sm">
            Recovery (
            {recoverable ? Math.round(((recovery.recovered + recovery.offset) / recoverable) * 100) : 0} %
            recovered)
          </Title>
          <ChartBox height={200}>
            <BarChart
              h={200}
              data={[
                { kind: 'recovered', amount: recovery.recovered / 100 },
                { kind: 'offset', amount: recovery.offset / 100 },
                { kind: 'outstanding', amount: recovery.outstanding / 100 },
                { kind: 'written off', amount: recovery.writtenOff / 100 },
                { kind: 'waived', amount: recovery.waived / 100 },
              ]}
              dataKey="kind"
              series={[{ name: 'amount', label: `Amount (${currency})`, color: 'teal.6' }]}
              {...moneyChart}
            />
          </ChartBox>
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder data-testid="chart-paid-by-payer">
          <Title order={3} size="h4" mb="sm">
            Paid by payer
          </Title>
          <ChartBox height={200}>
            <BarChart
              h={200}
              data={Object.entries(summary.paid.byPayer).map(([payer, amount]) => ({
                payer: PAYER_WORDS[payer] ?? statusWords(payer),
                amount: amount / 100,
              }))}
              dataKey="payer"
              series={[{ name: 'amount', label: `Paid (${currency})`, color: 'blue.6' }]}
              {...moneyChart}
            />
          </ChartBox>
        </Card>
        <Card withBorder data-testid="chart-top-products">
          <Title order={3} size="h4" mb="sm">
            Top products by claims
          </Title>
          <ChartBox height={200}>
            <BarChart
              h={200}
              orientation="vertical"
              data={trends.topProducts.map((p) => ({ product: p.title ?? p.productId, claims: p.claims }))}
              dataKey="product"
              series={[{ name: 'claims', label: 'Claims', color: 'orange.6' }]}
              yAxisProps={{ width: 140 }}
            />
          </ChartBox>
        </Card>
      </SimpleGrid>
      <ScreeningPanel />
    </Stack>
  );
}
