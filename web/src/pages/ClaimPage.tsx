import {
  Anchor,
  Badge,
  Card,
  Grid,
  Group,
  List,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { ContestCard } from '../components/ContestCard.tsx';
import { AssignmentCard } from '../components/claim/AssignmentCard.tsx';
import { ClaimStatus } from '../components/claim/ClaimStatus.tsx';
import { Due } from '../components/claim/Due.tsx';
import { MatterCard } from '../components/claim/MatterCard.tsx';
import { ThreadsCard } from '../components/claim/ThreadsCard.tsx';
import { EvidenceUpload } from '../components/EvidenceUpload.tsx';
import { Deadline, Money, ProblemAlert } from '../components/ui.tsx';
import { useSession, worksClaims } from '../session.tsx';
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

/** The words the event catalogue gives the signed-in audience for each event type (GET /v1/event-types). */
type EventWords = Record<string, { en: string; es: string }>;
const language = (): 'en' | 'es' => (navigator.language?.toLowerCase().startsWith('es') ? 'es' : 'en');

function EvidenceList({ claimId, items }: { claimId: string; items: Evidence[] }) {
  if (items.length === 0)
    return (
      <Text size="sm" c="gray.7">
        No evidence.
      </Text>
    );
  return (
    <List size="sm">
      {items.map((e) => (
        <List.Item key={e.id}>
          <Anchor href={`/v1/claims/${claimId}/evidence/${e.id}/content`} target="_blank">
            {e.filename ?? e.id}
          </Anchor>{' '}
          ({e.mediaType}, {e.purpose})
        </List.Item>
      ))}
    </List>
  );
}

const ANSWERS: Record<string, string> = {
  accept: 'Accepted the claim and pays it',
  tender: 'Tendered the claim to its insurer',
  dispute: 'Disputes the claim',
};

/**
 * What each side argues, side by side, so the agent decides a dispute with the seller's defence
 * in view. The server decides what the viewer may see (src/claims/views.ts).
 */
function BothSides({ claim, evidence }: { claim: Claim; evidence: Evidence[] }) {
  const response = claim.sellerResponse;
  const sellerEvidence = evidence.filter(
    (e) => e.uploadedBy.role === 'seller' || response?.evidenceIds.includes(e.id),
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="both-sides">
      <Card withBorder>
        <Title order={4}>{claim.customerName ?? 'The claimant'} says</Title>
        <Text>{claim.description}</Text>
        <EvidenceList claimId={claim.id} items={evidence.filter((e) => e.uploadedBy.role === 'customer')} />
      </Card>
      <Card withBorder data-testid="seller-answer">
        <Title order={4}>{claim.sellerName ?? 'The seller'} answers</Title>
        {response ? (
          <>
            <Text fw={500}>
              {ANSWERS[response.action] ?? response.action}
              {response.late ? ' (late)' : ''}
            </Text>
            {response.defense && <Text>{response.defense}</Text>}
          </>
        ) : (
          <Text c="gray.7">No answer yet.</Text>
        )}
        <EvidenceList claimId={claim.id} items={sellerEvidence} />
      </Card>
    </SimpleGrid>
  );
}

export function ClaimPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const [claim, setClaim] = useState<Claim | null>(null);
  const [history, setHistory] = useState<{ data: HistoryEvent[]; chain: { valid: boolean } } | null>(null);
  const [evidence, setEvidence] = useState<Evidence[]>([]);
  const [words, setWords] = useState<EventWords>({});
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    const path = { params: { path: { id } } };
    Promise.all([
      call(api.GET('/v1/claims/{id}', path)),
      call(api.GET('/v1/claims/{id}/events', path)),
      call(api.GET('/v1/claims/{id}/evidence', path)),
      call(api.GET('/v1/event-types')),
    ])
      .then(([c, h, e, t]) => {
        setClaim(c);
        setHistory(h as unknown as { data: HistoryEvent[]; chain: { valid: boolean } });
        setEvidence(e.data);
        setWords(Object.fromEntries(t.data.map((type) => [type.type, type.words])));
      })
      .catch(setError);
  }, [id]);
  useEffect(load, [load]);
  if (error) return <ProblemAlert error={error} />;
  if (!claim || !history) return null;
  const staff = worksClaims(session?.role);
  const canUpload =
    ['customer', 'seller', 'agent', 'tpa'].includes(session?.role ?? '') &&
    !['closed', 'withdrawn'].includes(claim.status);
  const reviewDue = claim.deadlines.review;
  const overdue =
    staff &&
    (claim.reviewEscalatedAt !== null || (reviewDue !== null && new Date(reviewDue.at) <= new Date()));
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} data-testid="claim-title">
            {claim.productTitle ?? 'Unknown product'}
            {staff && claim.customerName ? ` — ${claim.customerName}` : ''}
          </Title>
          <Group gap="xs">
            <Text c="gray.7" size="sm">
              Claim {claim.claimNumber} · {claim.type.replace('_', ' ')} · <Money value={claim.amount} />
            </Text>
            <ClaimStatus status={claim.status} />
            {claim.reviewKind && staff && (
              <Badge variant="outline" color="gray" c="dark.7">
                {claim.reviewKind} review
              </Badge>
            )}
            {/* How the claim came in (staff only): a customer online, or an agent taking it down. */}
            {staff && claim.filing?.channel && (
              <Badge variant="outline" color="gray" c="dark.7" data-testid="filing-channel">
                {['web', 'api'].includes(claim.filing.channel)
                  ? `filed by the customer (${claim.filing.channel})`
                  : `taken by ${claim.filing.filedBy.role === 'tpa' ? 'the TPA' : 'an agent'} by ${claim.filing.channel}`}
              </Badge>
            )}
            {overdue && (
              <Badge color="red.9" data-testid="review-overdue">
                review overdue
              </Badge>
            )}
          </Group>
          {staff && <Due deadline={reviewDue} label="Review" />}
        </Stack>
        {staff && (
          <Badge
            color={history.chain.valid ? 'green' : 'red'}
            variant="light"
            c="dark.7"
            data-testid="chain-check"
          >
            history {history.chain.valid ? 'verified' : 'tampered'}
          </Badge>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder>
              <Stack gap={4}>
                <Text data-testid="claim-names">
                  <b>{claim.productTitle ?? 'Unknown product'}</b>
                  {claim.sellerName ? ` sold by ${claim.sellerName}` : ''}
                  {staff && claim.customerName ? ` · claimant ${claim.customerName}` : ''}
                </Text>
                <Text>
                  {claim.type.replace('_', ' ')} · <Money value={claim.amount} /> · incident{' '}
                  {new Date(claim.incidentAt).toLocaleDateString()}
                </Text>
                {!staff && <Text>{claim.description}</Text>}
                <List size="sm">
                  {claim.damages.map((d) => (
                    <List.Item key={`${d.kind}-${d.description}`}>
                      {d.kind.replace('_', ' ')}: {d.description} — <Money value={d.amount} />
                    </List.Item>
                  ))}
                </List>
                {claim.deadlines.sellerResponse && (
                  <Text size="sm">
                    Seller must answer{' '}
                    {staff ? (
                      <Due deadline={claim.deadlines.sellerResponse} />
                    ) : (
                      <Deadline deadline={claim.deadlines.sellerResponse} />
                    )}
                  </Text>
                )}
                {claim.deadlines.claimantInformation && (
                  <Text size="sm">
                    Information due{' '}
                    {staff ? (
                      <Due deadline={claim.deadlines.claimantInformation} />
                    ) : (
                      <Deadline deadline={claim.deadlines.claimantInformation} />
                    )}
                  </Text>
                )}
                {claim.deadlines.appeal && (
                  <Text size="sm">
                    Appeal possible <Deadline deadline={claim.deadlines.appeal} />
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
            {staff && <BothSides claim={claim} evidence={evidence} />}
            {session?.role === 'customer' && <CustomerActions claim={claim} onDone={load} />}
            {session?.role === 'seller' && <SellerActions claim={claim} evidence={evidence} onDone={load} />}
            {staff && <ThreadsCard claim={claim} />}
            {staff && <MatterCard claim={claim} onDone={load} />}
            {/* The marketplace's books are its own staff's: a TPA works claims, not the ledger. */}
            {staff && session?.role !== 'tpa' && <LedgerCard claimId={claim.id} version={claim.updatedAt} />}
            <ContestCard claim={claim} role={session?.role} evidence={evidence} />
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
          {staff && (
            <Stack mb="md">
              <AgentActions claim={claim} onDone={load} />
              <AssignmentCard claim={claim} onDone={load} />
            </Stack>
          )}
          <Card withBorder>
            <Title order={4} mb="sm">
              History
            </Title>
            <Timeline bulletSize={14} lineWidth={2} active={history.data.length}>
              {history.data.map((e) => (
                <Timeline.Item
                  key={e.id}
                  title={words[e.type]?.[language()] ?? e.type.replace('claim.', '').replace(/_/g, ' ')}
                >
                  <Text size="xs" c="gray.7">
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
