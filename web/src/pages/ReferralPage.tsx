import { Anchor, Button, Card, Group, List, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { VERDICTS, ZFindings } from '../../../src/screening/findings.schemas.ts';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { formErrors, Money, ProblemAlert, StatusBadge, statusWords } from '../components/ui.tsx';

type Referral = components['schemas']['Referral'];
type Verdict = (typeof VERDICTS)[number];

/** Each verdict in words, with what it does to the claim (src/screening/submit-findings.ts). */
const VERDICT_WORDS: Record<Verdict, { label: string; effect: string }> = {
  valid: { label: 'Valid', effect: 'The claim goes on to the seller, or is paid at once if small.' },
  unsubstantiated: {
    label: 'Unsubstantiated',
    effect: 'The evidence does not support it: denied, appealable.',
  },
  frivolous: { label: 'Frivolous', effect: 'No real loss or no link to the product: denied, appealable.' },
  abusive: {
    label: 'Abusive',
    effect: 'Fabricated or reused evidence, linked accounts: denied, appealable.',
  },
};

/** How sure the expert is, in words; the API takes a number between 0 and 1. */
const CONFIDENCE = [
  { value: '0.6', label: 'Somewhat sure' },
  { value: '0.8', label: 'Fairly sure' },
  { value: '0.95', label: 'Certain' },
];

interface FindingsForm {
  verdict: string;
  notes: string;
  confidence: string;
}

const toFindings = (v: FindingsForm) => ({
  verdict: v.verdict,
  notes: v.notes,
  confidence: v.confidence === '' ? undefined : Number(v.confidence),
});

/** The API's own rules (src/screening/findings.schemas.ts), worded for the form. */
function validateFindings(v: FindingsForm): Record<string, string> {
  const errors = formErrors(ZFindings.safeParse(toFindings(v)).error, (path) => String(path[0] ?? 'form'));
  if (!v.verdict) errors.verdict = 'Choose a verdict';
  if (!v.confidence) errors.confidence = 'Say how sure you are';
  return errors;
}

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
  const form = useForm<FindingsForm>({
    // Nothing is pre-selected: the expert chooses a verdict and a confidence, not confirms a default.
    initialValues: { verdict: '', notes: '', confidence: '' },
    validate: validateFindings,
  });
  if (!referral) return <ProblemAlert error={error} />;
  const { claim } = referral;
  return (
    <Stack maw={820}>
      <Title order={2}>
        {claim.product?.title ?? 'Referred claim'} · {statusWords(claim.type)}
      </Title>
      <Group gap="xs">
        <StatusBadge status={referral.status} />
        <Text size="sm">Referred for: {statusWords(referral.reason)}</Text>
      </Group>
      <ProblemAlert error={error} />
      <Card withBorder data-testid="minimised-claim">
        <Stack gap={4}>
          <Text>
            <b>{statusWords(claim.type)}</b> · <Money value={claim.amount} /> ·{' '}
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
                  {statusWords(e.purpose)} ({e.mediaType})
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Stack>
      </Card>
      {claim.risk && (
        <Card withBorder>
          <Title order={3} size="h4">
            Signals (risk score {claim.risk.score.toFixed(2)})
          </Title>
          {claim.risk.signals.length === 0 && <Text size="sm">No signal.</Text>}
          <List size="sm">
            {claim.risk.signals.map((s) => (
              <List.Item key={s.code}>
                {s.reason} (weight {s.weight.toFixed(2)})
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      {referral.status === 'open' ? (
        <Card withBorder>
          <form
            onSubmit={form.onSubmit((v) =>
              call(
                api.POST('/v1/referrals/{id}/findings', {
                  params: { path: { id } },
                  body: ZFindings.parse(toFindings(v)),
                }),
              )
                .then(load)
                .catch(setError),
            )}
          >
            <Stack>
              <Title order={3} size="h4">
                Findings
              </Title>
              <Radio.Group label="Verdict" {...form.getInputProps('verdict')}>
                <Stack gap="xs" mt={4}>
                  {VERDICTS.map((verdict) => (
                    <Radio
                      key={verdict}
                      value={verdict}
                      label={VERDICT_WORDS[verdict].label}
                      description={VERDICT_WORDS[verdict].effect}
                    />
                  ))}
                </Stack>
              </Radio.Group>
              <Textarea
                label="Notes"
                description="What you examined and why you reached this verdict (at least 10 characters)"
                autosize
                minRows={3}
                {...form.getInputProps('notes')}
              />
              <Radio.Group label="How sure are you?" {...form.getInputProps('confidence')}>
                <Group mt={4}>
                  {CONFIDENCE.map((c) => (
                    <Radio key={c.value} value={c.value} label={c.label} />
                  ))}
                </Group>
              </Radio.Group>
              <Button type="submit">Return findings</Button>
            </Stack>
          </form>
        </Card>
      ) : (
        <Text data-testid="findings-returned">
          Findings returned:{' '}
          {referral.verdict ? VERDICT_WORDS[referral.verdict].label : statusWords(referral.status)}
        </Text>
      )}
    </Stack>
  );
}
