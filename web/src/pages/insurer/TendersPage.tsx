import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { Money, ProblemAlert } from '../../components/ui.tsx';
import { formatDeadline } from '../../format/deadline.ts';

type Tender = components['schemas']['Tender'];
type Claim = components['schemas']['Claim'];
type Evidence = components['schemas']['Evidence'];
type Answer = 'accept' | 'decline' | 'request_info';

/** Hours or days left, in words: the tender's deadline is an instant, shown in the viewer's zone. */
function Due({ at }: { at: string }) {
  const { text } = formatDeadline(
    { at, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    new Date(),
  );
  return (
    <Text span data-testid="tender-due">
      {text}
    </Text>
  );
}

/** The insurer's tenders: deadline, the claim as tendered, and its answer. */
export function TendersPage() {
  const [tenders, setTenders] = useState<Tender[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Tender | null>(null);
  const [claim, setClaim] = useState<Claim | null>(null);
  const [evidence, setEvidence] = useState<Evidence[] | null>(null);
  const [answer, setAnswer] = useState<Answer | ''>('');
  const [text, setText] = useState('');

  const load = useCallback(() => {
    call(api.GET('/v1/tenders', { params: { query: { limit: 200 } } }))
      .then((r) => setTenders(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const open = (t: Tender) => {
    setSelected(t);
    setClaim(null);
    setEvidence(null);
    setAnswer('');
    setText('');
    call(api.GET('/v1/claims/{id}', { params: { path: { id: t.claimId } } }))
      .then(setClaim)
      .catch(setError);
    call(api.GET('/v1/claims/{id}/evidence', { params: { path: { id: t.claimId } } }))
      .then((r) => setEvidence(r.data))
      .catch(setError);
  };
  const send = async () => {
    if (!selected || !answer) return;
    setError(null);
    const body =
      answer === 'accept'
        ? { action: 'accept' as const, paymentReference: text }
        : answer === 'decline'
          ? { action: 'decline' as const, reason: text }
          : { action: 'request_info' as const, question: text };
    try {
      const updated = await call(
        api.POST('/v1/tenders/{id}', {
          params: { path: { id: selected.id }, header: { 'idempotency-key': crypto.randomUUID() } },
          body,
        }),
      );
      setSelected(updated);
      load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Stack>
      <Title order={2}>Tenders</Title>
      <ProblemAlert error={error} />
      {tenders?.length === 0 && <Text c="dimmed">No tenders.</Text>}
      {tenders && tenders.length > 0 && (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tender</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Seller</Table.Th>
              <Table.Th>Amount</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Answer due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tenders.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => open(t)}>
                    {t.id.slice(-8).toUpperCase()}
                  </Button>
                </Table.Td>
                <Table.Td>{t.kind}</Table.Td>
                <Table.Td>{t.sellerId}</Table.Td>
                <Table.Td>
                  <Money value={t.amount} />
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{t.status.replace(/_/g, ' ')}</Badge>
                </Table.Td>
                <Table.Td>
                  {['open', 'info_requested'].includes(t.status) ? <Due at={t.dueAt} /> : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {selected && (
        <Card withBorder data-testid="tender">
          <Stack>
            <Title order={3}>
              Tender {selected.id.slice(-8).toUpperCase()} · {selected.status.replace(/_/g, ' ')}
            </Title>
            <Text>
              <Money value={selected.amount} /> claimed; deductible <Money value={selected.deductible} />{' '}
              (charged to the seller). Policy {selected.policyId}.
            </Text>
            {claim && (
              <Stack gap={4} data-testid="tendered-claim">
                <Text fw={600}>
                  {claim.claimNumber}: {claim.productTitle} sold by {claim.sellerName}
                </Text>
                <Text>{claim.description}</Text>
                {claim.damages.map((d) => (
                  <Text key={`${d.kind}-${d.description}`} size="sm">
                    {d.kind.replace(/_/g, ' ')}: {d.description} — <Money value={d.amount} />
                  </Text>
                ))}
              </Stack>
            )}
            {evidence && (
              <Stack gap={4} data-testid="tender-evidence">
                <Text fw={600}>Evidence</Text>
                {evidence.length === 0 && <Text c="dimmed">No files attached.</Text>}
                {evidence.map((e, i) => (
                  <Anchor
                    key={e.id}
                    href={`/v1/claims/${selected.claimId}/evidence/${e.id}/content`}
                    size="sm"
                  >
                    File {i + 1}: {e.filename ?? e.mediaType} ({e.purpose.replace(/_/g, ' ')},{' '}
                    {Math.ceil(e.sizeBytes / 1024)} KB)
                  </Anchor>
                ))}
              </Stack>
            )}
            {selected.question && <Text>Your question: {selected.question}</Text>}
            {selected.information && <Text>The seller answered: {selected.information}</Text>}
            {selected.paymentReference && <Text>Payment reference: {selected.paymentReference}</Text>}
            {selected.declineReason && <Text>Declined: {selected.declineReason}</Text>}
            {selected.status === 'open' && (
              <>
                <SegmentedControl
                  value={answer}
                  onChange={(v) => setAnswer(v as Answer)}
                  data={[
                    { value: 'accept', label: 'Accept and pay' },
                    { value: 'decline', label: 'Decline' },
                    { value: 'request_info', label: 'Ask for information' },
                  ]}
                />
                {answer === 'accept' && (
                  <TextInput
                    label="Payment reference"
                    value={text}
                    onChange={(e) => setText(e.currentTarget.value)}
                  />
                )}
                {answer === 'decline' && (
                  <Textarea label="Reason" value={text} onChange={(e) => setText(e.currentTarget.value)} />
                )}
                {answer === 'request_info' && (
                  <Textarea label="Question" value={text} onChange={(e) => setText(e.currentTarget.value)} />
                )}
                <Group>
                  <Button disabled={!answer} onClick={() => void send()}>
                    Send answer
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
