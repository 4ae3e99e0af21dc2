import {
  Anchor,
  Button,
  Card,
  List,
  Select,
  Slider,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { Money, ProblemAlert } from '../components/ui.tsx';

type Referral = components['schemas']['Referral'];

/** What an independent expert sees: the claim with personal data minimised, and its findings form. */
export function ReferralPage() {
  const { id = '' } = useParams();
  const [referral, setReferral] = useState<Referral | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    call(api.GET('/v1/referrals/{id}', { params: { path: { id } } }))
      .then(setReferral)
      .catch(setError);
  }, [id]);
  useEffect(load, [load]);
  const form = useForm({
    // No verdict is pre-selected: the expert must choose one, not confirm a default.
    initialValues: { verdict: '', notes: '', confidence: 0.8 },
    validate: {
      verdict: (v) => (v ? null : 'Choose a verdict'),
      notes: (v) => (v.trim().length >= 10 ? null : 'Explain the finding in at least 10 characters'),
    },
  });
  if (!referral) return <ProblemAlert error={error} />;
  const { claim } = referral;
  return (
    <Stack maw={820}>
      <Title order={2}>Referral {referral.id.slice(-8)}</Title>
      <ProblemAlert error={error} />
      <Card withBorder data-testid="minimised-claim">
        <Stack gap={4}>
          <Text>
            <b>{claim.type.replace('_', ' ')}</b> · <Money value={claim.amount} /> ·{' '}
            {claim.product?.title ?? 'unknown product'} ({claim.product?.category})
          </Text>
          <Text>{claim.description}</Text>
          <Text size="sm" c="dimmed">
            Claimant: age band {claim.claimant.ageBand ?? '—'}, region {claim.claimant.region ?? '—'}, account{' '}
            {claim.claimant.accountAge ?? '—'}, {claim.claimant.claimsInPastYear} claims in the past year
          </Text>
          <List size="sm">
            {claim.evidence.map((e) => (
              <List.Item key={e.id}>
                <Anchor href={`/v1/referrals/${referral.id}/evidence/${e.id}/content`} target="_blank">
                  {e.purpose} ({e.mediaType})
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Stack>
      </Card>
      {claim.risk && (
        <Card withBorder>
          <Title order={4}>Signals</Title>
          <Table>
            <Table.Tbody>
              {claim.risk.signals.map((s) => (
                <Table.Tr key={s.code}>
                  <Table.Td>{s.reason}</Table.Td>
                  <Table.Td>{s.weight.toFixed(2)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {referral.status === 'open' ? (
        <Card withBorder>
          <form
            onSubmit={form.onSubmit((v) =>
              call(
                api.POST('/v1/referrals/{id}/findings', {
                  params: { path: { id } },
                  body: {
                    verdict: v.verdict as Referral['verdict'] & string,
                    notes: v.notes,
                    confidence: v.confidence,
                  },
                }),
              )
                .then(load)
                .catch(setError),
            )}
          >
            <Stack>
              <Title order={4}>Findings</Title>
              <Select
                label="Verdict"
                placeholder="Choose a verdict"
                data={['valid', 'unsubstantiated', 'frivolous', 'abusive']}
                allowDeselect={false}
                {...form.getInputProps('verdict')}
              />
              <Textarea label="Notes" autosize minRows={3} {...form.getInputProps('notes')} />
              <Text size="sm">Confidence {Math.round(form.values.confidence * 100)} %</Text>
              <Slider
                min={0}
                max={1}
                step={0.05}
                label={null}
                aria-label="Confidence"
                {...form.getInputProps('confidence')}
              />
              <Button type="submit">Return findings</Button>
            </Stack>
          </form>
        </Card>
      ) : (
        <Text>Findings returned: {referral.verdict}</Text>
      )}
    </Stack>
  );
}
