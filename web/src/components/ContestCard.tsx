import { Badge, Button, Card, MultiSelect, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { components } from '../api/schema.ts';
import { worksClaims } from '../session.tsx';
import { ProblemAlert } from './ui.tsx';

type Claim = components['schemas']['Claim'];
type Evidence = components['schemas']['Evidence'];
type Contest = components['schemas']['Contest'];

const OUTCOME_WORDS: Record<Contest['status'], string> = {
  open: 'Waiting for a decision',
  upheld: 'Upheld: the resolution and any recovery stand',
  reversed: 'Reversed: the recovery was cancelled and what was taken refunded',
};

/**
 * A seller's contest of how the marketplace resolved a claim (a small claim paid, a step-in, a
 * recovery charged): the seller files it with a reason and its evidence; an agent decides it.
 * The server decides who may see and do what; this card only hides what would be refused.
 */
export function ContestCard({
  claim,
  role,
  evidence,
}: {
  claim: Claim;
  role: string | undefined;
  evidence: Evidence[];
}) {
  const [contest, setContest] = useState<Contest | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { id: claim.id } } };
  const staff = worksClaims(role);
  const load = useCallback(async () => {
    const { data } = await api.GET('/v1/claims/{id}/contest', { params: { path: { id: claim.id } } });
    setContest(data ?? null);
  }, [claim.id]);
  // Only a claim the marketplace paid can be contested: for any other there is nothing to ask
  // for (the API answers 404, which the browser logs as an error).
  const paidByMarketplace = claim.payment?.payer === 'marketplace';
  useEffect(() => {
    if ((staff || role === 'seller') && paidByMarketplace) void load();
  }, [load, staff, role, paidByMarketplace]);

  const filing = useForm({
    initialValues: { reason: '', evidenceIds: [] as string[] },
    validate: {
      reason: (v) => (v.trim().length >= 20 ? null : 'Give your reason in at least 20 characters'),
    },
  });
  const deciding = useForm({
    initialValues: { outcome: 'upheld' as 'upheld' | 'reversed', note: '' },
    validate: {
      note: (v) => (v.trim().length >= 10 ? null : 'Explain the decision in at least 10 characters'),
    },
  });
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      setFormOpen(false);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const contestable =
    role === 'seller' && claim.payment?.payer === 'marketplace' && ['paid', 'closed'].includes(claim.status);
  if (!contest && !contestable) return null;
  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>Contest of the resolution</Title>
        <ProblemAlert error={error} />
        {contest ? (
          <>
            <Badge
              color={
                contest.status === 'reversed' ? 'green' : contest.status === 'upheld' ? 'gray' : 'yellow'
              }
            >
              {OUTCOME_WORDS[contest.status]}
            </Badge>
            <Text size="sm">
              Filed {new Date(contest.filedAt).toLocaleString()}: {contest.reason}
            </Text>
            {contest.decisionNote && <Text size="sm">Decision: {contest.decisionNote}</Text>}
            <Text size="xs" c="dimmed">
              {contest.notice}
            </Text>
          </>
        ) : formOpen ? (
          <form
            onSubmit={filing.onSubmit((v) =>
              run(() => call(api.POST('/v1/claims/{id}/contest', { ...path, body: v }))),
            )}
          >
            <Stack>
              <Text size="sm">
                You may contest once, within the policy's window after the marketplace paid or charged you.
                Taking part waives none of your rights or defences.
              </Text>
              <Textarea
                label="Why the resolution is wrong"
                autosize
                minRows={3}
                {...filing.getInputProps('reason')}
              />
              <MultiSelect
                label="Evidence (attach files to the claim first)"
                data={evidence
                  .filter((e) => e.uploadedBy.role === 'seller')
                  .map((e) => ({ value: e.id, label: e.id }))}
                {...filing.getInputProps('evidenceIds')}
              />
              <Button type="submit" loading={busy}>
                Send contest
              </Button>
            </Stack>
          </form>
        ) : (
          <Button variant="outline" onClick={() => setFormOpen(true)}>
            Contest this resolution
          </Button>
        )}
        {staff && contest?.status === 'open' && (
          <form
            onSubmit={deciding.onSubmit((v) =>
              run(() => call(api.POST('/v1/claims/{id}/contest/decision', { ...path, body: v }))),
            )}
          >
            <Stack>
              <Select
                label="Outcome"
                data={[
                  { value: 'upheld', label: 'Uphold: the recovery stands' },
                  { value: 'reversed', label: 'Reverse: cancel the recovery and refund what was taken' },
                ]}
                allowDeselect={false}
                {...deciding.getInputProps('outcome')}
              />
              <Textarea
                label="Explanation to the seller"
                autosize
                minRows={2}
                {...deciding.getInputProps('note')}
              />
              <Button type="submit" loading={busy}>
                Decide contest
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
