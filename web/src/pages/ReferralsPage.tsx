import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import {
  type Column,
  Money,
  ProblemAlert,
  ResponsiveTable,
  StatusBadge,
  statusWords,
} from '../components/ui.tsx';
import { formatDeadline } from '../format/deadline.ts';

type Referral = components['schemas']['Referral'];

const REFERRAL_COLORS: Record<string, string> = { open: 'orange', answered: 'green', withdrawn: 'gray' };

/** A referral's due time is an instant: shown in the expert's own zone, with the time left. */
function Due({ at }: { at: string }) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { text, viewerTime } = formatDeadline({ at, timeZone }, new Date());
  return (
    <Text span size="sm" title={viewerTime} data-testid="deadline">
      {text}
    </Text>
  );
}

const COLUMNS: Column<Referral>[] = [
  {
    header: 'Claim',
    cell: (r) => (
      <Anchor component={Link} to={`/referrals/${r.id}`}>
        {r.claim.product?.title ?? 'Product not on file'} · {statusWords(r.claim.type)}
      </Anchor>
    ),
  },
  { header: 'Amount', cell: (r) => <Money value={r.claim.amount} /> },
  {
    header: 'Status',
    cell: (r) => <StatusBadge status={r.status} color={REFERRAL_COLORS[r.status] ?? 'gray'} />,
  },
  { header: 'Why referred', cell: (r) => statusWords(r.reason) },
  { header: 'Findings due', cell: (r) => (r.status === 'open' ? <Due at={r.dueAt} /> : '—') },
];

/** The claims referred to an independent expert, open ones first, minimised (no names). */
export function ReferralsPage() {
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/v1/referrals', { params: { query: { limit: 100 } } }))
      .then((page) =>
        setReferrals(
          [...page.data].sort(
            (a, b) =>
              Number(b.status === 'open') - Number(a.status === 'open') || a.dueAt.localeCompare(b.dueAt),
          ),
        ),
      )
      .catch(setError);
  }, []);
  return (
    <Stack>
      <Title order={2}>Claims referred to you</Title>
      <ProblemAlert error={error} />
      {referrals?.length === 0 && <Text c="dimmed">No referrals.</Text>}
      {referrals && referrals.length > 0 && (
        <ResponsiveTable rows={referrals} columns={COLUMNS} rowKey={(r) => r.id} label="Referred claims" />
      )}
    </Stack>
  );
}
