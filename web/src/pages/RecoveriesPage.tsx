import { Anchor, Badge, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { type Column, Money, ProblemAlert, ResponsiveTable, statusWords } from '../components/ui.tsx';
import { claimNumberOf } from '../format/claim-number.ts';
import { useSession } from '../session.tsx';

type Recovery = components['schemas']['Recovery'];

const RECOVERY_COLORS: Record<string, string> = {
  pending: 'orange',
  invoiced: 'orange',
  tendered_to_insurer: 'blue',
  offset: 'teal',
  recovered: 'green',
  written_off: 'gray',
  waived: 'gray',
};

const COLUMNS: Column<Recovery>[] = [
  {
    header: 'Claim',
    cell: (r) => (
      <Anchor component={Link} to={`/claims/${r.claimId}`}>
        {claimNumberOf(r.claimId)}
      </Anchor>
    ),
  },
  {
    header: 'Status',
    cell: (r) => (
      <>
        <Badge
          variant="light"
          color={RECOVERY_COLORS[r.status] ?? 'gray'}
          styles={{ label: { overflow: 'visible' }, root: { maxWidth: 'none' } }}
        >
          {statusWords(r.status)}
        </Badge>
        {r.waiverReason && <Text size="xs">{statusWords(r.waiverReason)}</Text>}
      </>
    ),
  },
  { header: 'Amount', cell: (r) => <Money value={r.amount} /> },
  { header: 'Outstanding', cell: (r) => <Money value={r.outstanding} /> },
  {
    header: 'Not taken before',
    cell: (r) =>
      r.dueAt
        ? new Date(r.dueAt).toLocaleDateString('en-US', { weekday: 'short', day: 'numeric', month: 'short' })
        : '—',
  },
];

/** What the marketplace recovers after paying in a seller's place: a seller sees its own, agents all. */
export function RecoveriesPage() {
  const { session } = useSession();
  const [recoveries, setRecoveries] = useState<Recovery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/v1/recoveries', { params: { query: { limit: 100 } } }))
      .then((page) => setRecoveries(page.data))
      .catch(setError);
  }, []);
  return (
    <Stack>
      <Title order={2}>
        {session?.role === 'seller' ? 'What the marketplace recovers from you' : 'Recoveries'}
      </Title>
      {session?.role === 'seller' && (
        <Text size="sm" c="dimmed">
          When the marketplace pays a claim in your place, it takes the amount back from your next payouts,
          not before the date shown.
        </Text>
      )}
      <ProblemAlert error={error} />
      {recoveries?.length === 0 && <Text c="dimmed">No recoveries.</Text>}
      {recoveries && recoveries.length > 0 && (
        <ResponsiveTable rows={recoveries} columns={COLUMNS} rowKey={(r) => r.id} label="Recoveries" />
      )}
    </Stack>
  );
}
