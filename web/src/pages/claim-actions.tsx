import {
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api, call } from '../api/client.ts';
import type { components, paths } from '../api/schema.ts';
import { formatMoney, ProblemAlert } from '../components/ui.tsx';

type Claim = components['schemas']['Claim'];
type Evidence = components['schemas']['Evidence'];

/** Runs an action, shows its problem next to the form, and reloads the claim when it worked. */
function useAction(onDone: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

type SellerAnswer = NonNullable<
  paths['/v1/claims/{id}/seller-response']['post']['requestBody']
>['content']['application/json'];

export function CustomerActions({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { error, busy, run } = useAction(onDone);
  const info = useForm({
    initialValues: { message: '' },
    validate: { message: (v) => (v.trim() ? null : 'Write your answer') },
  });
  const appeal = useForm({
    initialValues: { grounds: '' },
    validate: {
      grounds: (v) => (v.trim().length >= 10 ? null : 'Give your grounds in at least 10 characters'),
    },
  });
  const path = { params: { path: { id: claim.id } } };
  const open = !['paid', 'closed', 'withdrawn', 'denied'].includes(claim.status);
  if (!open && !claim.deadlines.appeal) return null;
  return (
    <Card withBorder>
      <Stack>
        <ProblemAlert error={error} />
        {claim.status === 'needs_info' && (
          <form
            onSubmit={info.onSubmit((v) =>
              run(() =>
                call(api.POST('/v1/claims/{id}/information', { ...path, body: { message: v.message } })),
              ),
            )}
          >
            <Stack>
              <Textarea
                label="Your answer to the request for information"
                autosize
                minRows={3}
                {...info.getInputProps('message')}
              />
              <Button type="submit" loading={busy}>
                Send answer
              </Button>
            </Stack>
          </form>
        )}
        {claim.deadlines.appeal && (
          <form
            onSubmit={appeal.onSubmit((v) =>
              run(() => call(api.POST('/v1/claims/{id}/appeal', { ...path, body: { grounds: v.grounds } }))),
            )}
          >
            <Stack>
              <Textarea
                label="Why the decision should change"
                autosize
                minRows={3}
                {...appeal.getInputProps('grounds')}
              />
              <Button type="submit" loading={busy}>
                Appeal (once)
              </Button>
            </Stack>
          </form>
        )}
        {open && (
          <Group>
            <Button
              variant="outline"
              color="red"
              loading={busy}
              onClick={() => run(() => call(api.POST('/v1/claims/{id}/withdraw', { ...path, body: {} })))}
            >
              Withdraw claim
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

export function SellerActions({
  claim,
  evidence,
  onDone,
}: {
  claim: Claim;
  evidence: Evidence[];
  onDone: () => void;
}) {
  const { error, busy, run } = useAction(onDone);
  const own = evidence.filter((e) => e.uploadedBy.role === 'seller');
  const form = useForm({
    initialValues: { defense: '', evidenceIds: [] as string[] },
    validate: {
      defense: (v) => (v.trim().length >= 20 ? null : 'Explain your defense in at least 20 characters'),
    },
  });
  const respond = (body: SellerAnswer) =>
    run(() =>
      call(api.POST('/v1/claims/{id}/seller-response', { params: { path: { id: claim.id } }, body })),
    );
  const answering = claim.status === 'awaiting_seller';
  const defending =
    claim.payer === 'marketplace' &&
    !claim.stepIn &&
    !claim.sellerResponse &&
    ['approved', 'paid', 'closed'].includes(claim.status);
  if (!answering && !defending) return null;
  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>{answering ? 'Your answer' : 'Defend your product'}</Title>
        <ProblemAlert error={error} />
        {answering && (
          <Group>
            <Button loading={busy} onClick={() => respond({ action: 'accept' })}>
              Accept and pay
            </Button>
            <Button variant="light" loading={busy} onClick={() => respond({ action: 'tender' })}>
              Tender to my insurer
            </Button>
          </Group>
        )}
        <form
          onSubmit={form.onSubmit((v) =>
            respond({ action: 'dispute', defense: v.defense, evidenceIds: v.evidenceIds }),
          )}
        >
          <Stack>
            <Textarea
              label="Defense"
              description="What shows the product was not defective or did not cause the harm"
              autosize
              minRows={3}
              {...form.getInputProps('defense')}
            />
            <Checkbox.Group
              label="Evidence to attach (upload it below first)"
              {...form.getInputProps('evidenceIds')}
            >
              <Stack gap={4} mt={4}>
                {own.map((e) => (
                  <Checkbox key={e.id} value={e.id} label={e.filename ?? e.id} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Button type="submit" color="orange" loading={busy}>
              Dispute
            </Button>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}

const DENIALS = ['unsubstantiated', 'frivolous', 'abusive', 'duplicate', 'not_covered'] as const;

export function AgentActions({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { error, busy, run } = useAction(onDone);
  // Nothing is pre-selected: an outcome or a denial reason the agent did not choose is not a decision.
  const form = useForm({
    initialValues: {
      outcome: '',
      reason: '',
      denial: '',
      amount: undefined as number | undefined,
    },
    validate: {
      outcome: (v) => (v ? null : 'Choose an outcome'),
      denial: (v, values) => (values.outcome === 'deny' && !v ? 'Choose a reason code' : null),
      reason: (v, values) =>
        values.outcome === 'approve' && v.trim().length < 3 ? 'Say why the claim is valid' : null,
    },
  });
  // A money decision is shown with its amount and confirmed before it is sent.
  const [confirming, setConfirming] = useState<typeof form.values | null>(null);
  if (!['under_review', 'screening'].includes(claim.status)) return null;
  const approvedAmount = (v: typeof form.values) =>
    v.amount ? { value: Math.round(v.amount * 100), currency: claim.amount.currency } : claim.amount;
  const send = (v: typeof form.values) =>
    run(() =>
      call(
        api.POST('/v1/claims/{id}/decision', {
          params: { path: { id: claim.id } },
          body:
            v.outcome === 'approve'
              ? { outcome: 'approve', reason: v.reason, ...(v.amount ? { amount: approvedAmount(v) } : {}) }
              : { outcome: 'deny', reason: v.denial as (typeof DENIALS)[number], note: v.reason },
        }),
      ),
    );
  const decide = (v: typeof form.values) => (v.outcome === 'approve' ? setConfirming(v) : send(v));
  return (
    <Card withBorder>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title="Confirm the payment">
        {confirming && (
          <Stack>
            <Text data-testid="confirm-amount">
              Approve {claim.claimNumber} and pay <b>{formatMoney(approvedAmount(confirming))}</b>
              {claim.customerName ? ` to ${claim.customerName}` : ''}?
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                Go back
              </Button>
              <Button
                loading={busy}
                onClick={() => {
                  const chosen = confirming;
                  setConfirming(null);
                  void send(chosen);
                }}
              >
                Approve and pay {formatMoney(approvedAmount(confirming))}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <form onSubmit={form.onSubmit(decide)}>
        <Stack>
          <Title order={4}>Decision</Title>
          <ProblemAlert error={error} />
          <Select
            label="Outcome"
            placeholder="Choose an outcome"
            data={[
              { value: 'approve', label: 'Approve' },
              { value: 'deny', label: 'Deny' },
            ]}
            {...form.getInputProps('outcome')}
            allowDeselect={false}
          />
          {form.values.outcome === 'deny' && (
            <Select
              label="Reason code"
              placeholder="Choose a reason code"
              data={DENIALS.map((d) => ({ value: d, label: d.replace('_', ' ') }))}
              {...form.getInputProps('denial')}
              allowDeselect={false}
            />
          )}
          {form.values.outcome === 'approve' && (
            <NumberInput
              label="Approved amount (leave empty for the full claim)"
              min={0}
              decimalScale={2}
              {...form.getInputProps('amount')}
            />
          )}
          <Textarea
            label={form.values.outcome === 'deny' ? 'Note to the claimant' : 'Why the claim is valid'}
            autosize
            minRows={2}
            {...form.getInputProps('reason')}
          />
          <Button type="submit" loading={busy}>
            Record decision
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
