import { Button, Card, Checkbox, Group, Stack, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { api, call } from '../api/client.ts';
import type { components, paths } from '../api/schema.ts';
import { DecisionBox } from '../components/claim/DecisionBox.tsx';
import { HoldCard } from '../components/claim/HoldCard.tsx';
import { useAction } from '../components/claim/use-action.ts';
import { ProblemAlert } from '../components/ui.tsx';

type Claim = components['schemas']['Claim'];
type ClaimActionName = Claim['actions'][number]['name'];
type Evidence = components['schemas']['Evidence'];

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
  // The server says what the claimant may do now (claim.actions); nothing here re-decides it.
  const may = (name: ClaimActionName) => claim.actions.some((a) => a.name === name);
  if (!may('provide_information') && !may('appeal') && !may('withdraw')) return null;
  return (
    <Card withBorder>
      <Stack>
        <ProblemAlert error={error} />
        {may('provide_information') && (
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
        {may('appeal') && (
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
        {may('withdraw') && (
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
  // The server says whether the seller may answer now or only put a defence on record.
  const answering = claim.actions.some((a) => a.name === 'respond');
  const defending = claim.actions.some((a) => a.name === 'defend');
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

/** What the agent may do on the claim, exactly as the server lists it (claim.actions). */
export function AgentActions({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  return (
    <>
      <DecisionBox claim={claim} onDone={onDone} />
      <HoldCard claim={claim} onDone={onDone} />
    </>
  );
}
