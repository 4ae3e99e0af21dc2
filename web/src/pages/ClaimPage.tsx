import { Anchor, Badge, Card, Grid, Group, List, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { EvidenceUpload } from '../components/EvidenceUpload.tsx';
import { Deadline, Money, ProblemAlert, StatusBadge } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import { AgentActions, CustomerActions, SellerActions } from './claim-actions.tsx';
import { LedgerCard } from './LedgerCard.tsx';

export type Claim = components['schemas']['Claim'];
type Evidence = components['schemas']['Evidence'];
interface HistoryEvent {
  id: string;
  seq: number;
  type: string;
  at: string;
  actor: { role: string };
  reason: string | null;
}

/** What each history event means, in the words a claimant or seller uses. */
const EVENT_WORDS: Record<string, string> = {
  'claim.filed': 'Claim filed',
  'claim.hazard_classified': 'Classified for product safety',
  'claim.hazard_coded': 'Product-safety coding checked by staff',
  'claim.screened': 'Checked for eligibility',
  'claim.passed_screening': 'Sent to the seller',
  'claim.seller_notified': 'Seller told, with a deadline',
  'claim.seller_responded': 'Seller answered',
  'claim.review_started': 'An agent is reviewing it',
  'claim.approved': 'Approved',
  'claim.stepped_in': 'The marketplace stepped in to pay',
  'claim.denied': 'Denied',
  'claim.paid': 'Paid',
  'claim.closed': 'Closed',
  'claim.withdrawn': 'Withdrawn',
  'claim.appealed': 'Appealed',
  'claim.info_requested': 'More information asked for',
  'claim.info_provided': 'Information provided',
  'claim.evidence_added': 'Evidence attached',
  'claim.tendered': 'Tendered to the seller’s insurer',
};

export function ClaimPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const [claim, setClaim] = useState<Claim | null>(null);
  const [history, setHistory] = useState<{ data: HistoryEvent[]; chain: { valid: boolean } } | null>(null);
  const [evidence, setEvidence] = useState<Evidence[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    const path = { params: { path: { id } } };
    Promise.all([
      call(api.GET('/v1/claims/{id}', path)),
      call(api.GET('/v1/claims/{id}/events', path)),
      call(api.GET('/v1/claims/{id}/evidence', path)),
    ])
      .then(([c, h, e]) => {
        setClaim(c);
        setHistory(h as unknown as { data: HistoryEvent[]; chain: { valid: boolean } });
        setEvidence(e.data);
      })
      .catch(setError);
  }, [id]);
  useEffect(load, [load]);
  if (error) return <ProblemAlert error={error} />;
  if (!claim || !history) return null;
  const staff = session?.role === 'agent' || session?.role === 'admin';
  const canUpload =
    ['customer', 'seller', 'agent'].includes(session?.role ?? '') &&
    !['closed', 'withdrawn'].includes(claim.status);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>
          Claim {claim.id.slice(-8)} <StatusBadge status={claim.status} />
        </Title>
        {staff && (
          <Badge color={history.chain.valid ? 'green' : 'red'} data-testid="chain-check">
            history {history.chain.valid ? 'verified' : 'tampered'}
          </Badge>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder>
              <Stack gap={4}>
                <Text>
                  <b>{claim.type.replace('_', ' ')}</b> · <Money value={claim.amount} /> · incident{' '}
                  {new Date(claim.incidentAt).toLocaleDateString()}
                </Text>
                <Text>{claim.description}</Text>
                <List size="sm">
                  {claim.damages.map((d) => (
                    <List.Item key={`${d.kind}-${d.description}`}>
                      {d.kind.replace('_', ' ')}: {d.description} — <Money value={d.amount} />
                    </List.Item>
                  ))}
                </List>
                {claim.deadlines.sellerResponse && (
                  <Text size="sm">
                    Seller must answer by <Deadline deadline={claim.deadlines.sellerResponse} />
                  </Text>
                )}
                {claim.deadlines.claimantInformation && (
                  <Text size="sm">
                    Information due by <Deadline deadline={claim.deadlines.claimantInformation} />
                  </Text>
                )}
                {claim.deadlines.appeal && (
                  <Text size="sm">
                    Appeal possible until <Deadline deadline={claim.deadlines.appeal} />
                  </Text>
                )}
                {claim.denialReason && <Text c="red">Denied: {claim.denialReason.replace(/_/g, ' ')}</Text>}
                {claim.payment && (
                  <Text data-testid="payment">
                    Payment by the {claim.payment.payer}: <Money value={claim.payment.amount} /> —{' '}
                    {claim.payment.status}
                    {claim.payment.reference ? ` (${claim.payment.reference})` : ''}
                  </Text>
                )}
                {claim.recovery && (
                  <Text size="sm">
                    Recovery from the seller: {claim.recovery.status.replace(/_/g, ' ')}
                    {claim.recovery.waiverReason
                      ? ` (${claim.recovery.waiverReason.replace(/_/g, ' ')})`
                      : ''}
                  </Text>
                )}
              </Stack>
            </Card>
            {session?.role === 'customer' && <CustomerActions claim={claim} onDone={load} />}
            {session?.role === 'seller' && <SellerActions claim={claim} evidence={evidence} onDone={load} />}
            {staff && <AgentActions claim={claim} onDone={load} />}
            {staff && <LedgerCard claimId={claim.id} version={claim.updatedAt} />}
            {staff && claim.risk && (
              <Card withBorder>
                <Title order={4}>Risk signals (score {claim.risk.score.toFixed(2)})</Title>
                <Table>
                  <Table.Tbody>
                    {claim.risk.signals.map((s) => (
                      <Table.Tr key={s.code}>
                        <Table.Td>{s.code}</Table.Td>
                        <Table.Td>{s.reason}</Table.Td>
                        <Table.Td>{s.weight.toFixed(2)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            )}
            <Card withBorder>
              <Title order={4}>Evidence</Title>
              <List size="sm">
                {evidence.map((e) => (
                  <List.Item key={e.id}>
                    <Anchor href={`/v1/claims/${claim.id}/evidence/${e.id}/content`} target="_blank">
                      {e.filename ?? e.id}
                    </Anchor>{' '}
                    ({e.mediaType}, {e.purpose}, from the {e.uploadedBy.role})
                  </List.Item>
                ))}
              </List>
              {canUpload && (
                <EvidenceUpload
                  claimId={claim.id}
                  purpose={session?.role === 'seller' ? 'defense' : 'photo'}
                  onUploaded={(e) => setEvidence((list) => [...list, e])}
                />
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder>
            <Title order={4} mb="sm">
              History
            </Title>
            <Timeline bulletSize={14} lineWidth={2} active={history.data.length}>
              {history.data.map((e) => (
                <Timeline.Item
                  key={e.id}
                  title={EVENT_WORDS[e.type] ?? e.type.replace('claim.', '').replace(/_/g, ' ')}
                >
                  <Text size="xs" c="dimmed">
                    {new Date(e.at).toLocaleString()} · {e.actor.role}
                    {e.reason ? ` · ${e.reason.replace(/_/g, ' ')}` : ''}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
