import { Button, Card, Group, Modal, NumberInput, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { formatMoney, ProblemAlert } from '../ui.tsx';
import { Due } from './Due.tsx';
import { useAction } from './use-action.ts';

type Claim = components['schemas']['Claim'];
type Decision = NonNullable<
  paths['/v1/claims/{id}/decision']['post']['requestBody']
>['content']['application/json'];
type DenialCode = Extract<Decision, { outcome: 'deny' }>['reason'];
type Expert = paths['/v1/experts']['get']['responses'][200]['content']['application/json']['data'][number];

const DENIALS: Record<DenialCode, string> = {
  unsubstantiated: 'Unsubstantiated: the evidence does not show the loss',
  frivolous: 'Frivolous',
  abusive: 'Abusive',
  duplicate: 'Duplicate of another claim',
  not_covered: 'Not covered by the policy',
};

/** Above $500, or above the marketplace's small-claim limit if lower, a decision is confirmed first. */
const CONFIRM_ABOVE = 50_000;

type Outcome = 'approve' | 'deny' | 'info' | 'expert';

const has = (claim: Claim, name: Claim['actions'][number]['name']) =>
  claim.actions.some((a) => a.name === name);

/**
 * The agent's decision box: approve, deny, ask the claimant for information or refer to an
 * expert, each offered only when the server lists it (claim.actions). Nothing is pre-selected:
 * an outcome, a reason code or an expert the agent did not choose is not a decision. A money
 * decision above the confirmation threshold is shown with its amount and confirmed.
 */
export function DecisionBox({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { error, busy, run } = useAction(onDone);
  const [experts, setExperts] = useState<Expert[]>([]);
  const [smallClaimLimit, setSmallClaimLimit] = useState<number | null>(null);
  const deciding = has(claim, 'decide');
  const asking = has(claim, 'request_information');
  const referring = has(claim, 'refer_to_expert');
  useEffect(() => {
    if (!referring) return;
    call(api.GET('/v1/experts'))
      .then((r) => setExperts(r.data.filter((e) => e.marketplaceId === claim.marketplaceId)))
      .catch(() => setExperts([]));
  }, [referring, claim.marketplaceId]);
  useEffect(() => {
    if (!deciding) return;
    call(api.GET('/v1/marketplaces/{id}', { params: { path: { id: claim.marketplaceId } } }))
      .then((m) => setSmallClaimLimit(m.policy.smallClaimLimit))
      .catch(() => setSmallClaimLimit(0)); // unknown: confirm every money decision
  }, [deciding, claim.marketplaceId]);
  const form = useForm({
    initialValues: {
      outcome: '' as Outcome | '',
      reason: '',
      denial: '' as DenialCode | '',
      amount: '' as number | string,
      expertId: '',
    },
    validate: {
      outcome: (v) => (v ? null : 'Choose an outcome'),
      denial: (v, values) => (values.outcome === 'deny' && !v ? 'Choose a reason code' : null),
      expertId: (v, values) => (values.outcome === 'expert' && !v ? 'Choose an expert' : null),
      reason: (v, values) => {
        if (values.outcome === 'approve' && v.trim().length < 3) return 'Say why the claim is valid';
        if (values.outcome === 'info' && v.trim().length < 5)
          return 'Write the question in at least 5 characters';
        if (values.outcome === 'expert' && v.trim().length < 3) return 'Say what the expert should look at';
        return null;
      },
    },
  });
  const [confirming, setConfirming] = useState<typeof form.values | null>(null);
  if (!deciding && !asking && !referring) return null;
  const path = { params: { path: { id: claim.id } } };
  const approved = (v: typeof form.values) =>
    v.amount !== '' && Number(v.amount) > 0
      ? { value: Math.round(Number(v.amount) * 100), currency: claim.amount.currency }
      : claim.amount;
  const send = (v: typeof form.values) =>
    run(async () => {
      if (v.outcome === 'info')
        return call(
          api.POST('/v1/claims/{id}/information-request', { ...path, body: { question: v.reason } }),
        );
      if (v.outcome === 'expert')
        return call(
          api.POST('/v1/claims/{id}/referrals', {
            ...path,
            body: { expertId: v.expertId, reason: v.reason },
          }),
        );
      const body: Decision =
        v.outcome === 'approve'
          ? {
              outcome: 'approve',
              reason: v.reason,
              ...(v.amount !== '' && Number(v.amount) > 0 ? { amount: approved(v) } : {}),
            }
          : {
              outcome: 'deny',
              reason: v.denial as DenialCode,
              ...(v.reason.trim() ? { note: v.reason } : {}),
            };
      return call(api.POST('/v1/claims/{id}/decision', { ...path, body }));
    });
  const threshold = Math.min(CONFIRM_ABOVE, smallClaimLimit ?? 0);
  const decide = (v: typeof form.values) => {
    const money = v.outcome === 'approve' ? approved(v).value : v.outcome === 'deny' ? claim.amount.value : 0;
    return money > threshold ? setConfirming(v) : send(v);
  };
  const outcomes = [
    ...(deciding
      ? [
          { value: 'approve', label: 'Approve' },
          { value: 'deny', label: 'Deny' },
        ]
      : []),
    ...(asking ? [{ value: 'info', label: 'Ask for information' }] : []),
    ...(referring
      ? [
          {
            value: 'expert',
            label: claim.status === 'expert_review' ? 'Assign an expert' : 'Refer to an expert',
          },
        ]
      : []),
  ];
  const o = form.values.outcome;
  const reasonLabel =
    o === 'deny'
      ? 'Note to the claimant (optional)'
      : o === 'info'
        ? 'Question to the claimant'
        : o === 'expert'
          ? 'What the expert should look at'
          : 'Why the claim is valid';
  const due = claim.actions.find((a) => a.name === 'decide' || a.name === 'refer_to_expert')?.deadline;
  return (
    <Card withBorder data-testid="decision-box">
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        closeButtonProps={{ 'aria-label': 'Close' }}
        title={confirming?.outcome === 'deny' ? 'Confirm the denial' : 'Confirm the payment'}
      >
        {confirming && (
          <Stack>
            <Text data-testid="confirm-amount">
              {confirming.outcome === 'approve' ? (
                <>
                  Approve {claim.claimNumber} and pay <b>{formatMoney(approved(confirming))}</b>
                  {claim.customerName ? ` to ${claim.customerName}` : ''}?
                </>
              ) : (
                <>
                  Deny {claim.claimNumber} for <b>{formatMoney(claim.amount)}</b> as{' '}
                  {confirming.denial.replace(/_/g, ' ')}?
                </>
              )}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                Go back
              </Button>
              <Button
                color={confirming.outcome === 'deny' ? 'red' : undefined}
                loading={busy}
                onClick={() => {
                  const chosen = confirming;
                  setConfirming(null);
                  void send(chosen);
                }}
              >
                {confirming.outcome === 'approve'
                  ? `Approve and pay ${formatMoney(approved(confirming))}`
                  : `Deny ${formatMoney(claim.amount)}`}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <form onSubmit={form.onSubmit(decide)}>
        <Stack>
          <Group justify="space-between" align="baseline">
            <Title order={4}>
              {deciding ? 'Decision' : referring && !asking ? 'Assign an expert' : 'Next step'}
            </Title>
            <Due deadline={due} label="review" size="xs" />
          </Group>
          <ProblemAlert error={error} />
          <Select
            label="Outcome"
            placeholder="Choose an outcome"
            data={outcomes}
            {...form.getInputProps('outcome')}
            allowDeselect={false}
          />
          {o === 'deny' && (
            <Select
              label="Reason code"
              placeholder="Choose a reason code"
              data={Object.entries(DENIALS).map(([value, label]) => ({ value, label }))}
              {...form.getInputProps('denial')}
              allowDeselect={false}
            />
          )}
          {o === 'approve' && (
            <NumberInput
              label={`Approved amount (${claim.amount.currency}; leave empty for the full ${formatMoney(claim.amount)})`}
              min={0}
              decimalScale={2}
              {...form.getInputProps('amount')}
            />
          )}
          {o === 'expert' && (
            <Select
              label="Expert"
              placeholder={experts.length ? 'Choose an expert' : 'No active expert on file'}
              data={experts.map((e) => ({
                value: e.id,
                label: `${e.name}, ${e.organisation} (${e.openReferrals} open)`,
              }))}
              {...form.getInputProps('expertId')}
              allowDeselect={false}
            />
          )}
          {o && <Textarea label={reasonLabel} autosize minRows={2} {...form.getInputProps('reason')} />}
          <Button type="submit" loading={busy}>
            {o === 'info' ? 'Send the question' : o === 'expert' ? 'Refer to the expert' : 'Record decision'}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
