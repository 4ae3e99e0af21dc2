import {
  ActionIcon,
  Button,
  Card,
  Group,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { formatMoney, ProblemAlert } from '../components/ui.tsx';

type Order = paths['/v1/orders']['get']['responses'][200]['content']['application/json']['data'][number];
const DAMAGE_KINDS = [
  { value: 'property_damage', label: 'Property damage' },
  { value: 'medical_bills', label: 'Medical bills' },
  { value: 'lost_earnings', label: 'Lost earnings' },
  { value: 'purchase_price', label: 'Purchase price' },
  { value: 'other_economic', label: 'Other economic loss' },
] as const;
type DamageKind = (typeof DAMAGE_KINDS)[number]['value'];

/** Only economic losses are covered: each is itemised, and the claim's amount is their sum. */
export function NewClaimPage() {
  const navigate = useNavigate();
  const [orders, setOrders] = useState<Order[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // One key per form: a double click or a retry files the claim once.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  useEffect(() => {
    call(api.GET('/v1/orders', { params: { query: { limit: 50 } } }))
      .then((page) => setOrders(page.data))
      .catch(setError);
  }, []);
  const lines = orders.flatMap((o) =>
    o.lines
      .filter((l) => l.deliveredAt)
      .map((l) => ({
        value: `${o.id}/${l.lineId}`,
        label: `Order ${o.id}, line ${l.lineId}: ${l.productId} (${formatMoney(l.unitPrice)}), delivered ${new Date(l.deliveredAt ?? '').toLocaleDateString()}`,
      })),
  );
  const form = useForm({
    initialValues: {
      line: '',
      type: 'property_damage',
      incidentAt: '',
      description: '',
      damages: [{ key: randomId(), kind: 'property_damage' as DamageKind, description: '', amount: 0 }],
    },
    validate: {
      line: (v) => (v ? null : 'Choose the product that caused the harm'),
      incidentAt: (v) => (v ? null : 'When did it happen?'),
      description: (v) => (v.trim().length >= 3 ? null : 'Describe what happened in at least 3 characters'),
      damages: {
        description: (v) => (v.trim() ? null : 'Say what this loss is'),
        amount: (v) => (v > 0 ? null : 'Enter the amount'),
      },
    },
  });
  const currency = orders[0]?.lines[0]?.unitPrice.currency ?? 'USD';
  const total = form.values.damages.reduce((sum, d) => sum + Math.round((d.amount || 0) * 100), 0);
  const submit = form.onSubmit(async (v) => {
    setError(null);
    const [orderId = '', lineId = ''] = v.line.split('/');
    try {
      if (files.length > 0) setProgress(`Sending your claim with ${files.length} photo(s)…`);
      // One request with the photos: they are screened before the claim is decided, so a payout
      // never leaves ahead of its evidence (docs/screening.md).
      const withPhotos = (body: unknown) => {
        const form = new FormData();
        form.append('claim', JSON.stringify(body));
        for (const file of files) form.append('photo', file, file.name);
        return form;
      };
      const claim = await call(
        api.POST('/v1/claims', {
          params: { header: { 'idempotency-key': idempotencyKey } },
          body: {
            orderId,
            lineId,
            channel: 'web',
            type: v.type as 'property_damage' | 'personal_injury',
            incidentAt: new Date(v.incidentAt).toISOString(),
            description: v.description,
            amount: { value: total, currency },
            damages: v.damages.map((d) => ({
              kind: d.kind,
              description: d.description,
              amount: { value: Math.round(d.amount * 100), currency },
            })),
          },
          ...(files.length > 0 ? { bodySerializer: withPhotos } : {}),
        }),
      );
      navigate(`/claims/${claim.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  });
  return (
    <form onSubmit={submit}>
      <Stack maw={720}>
        <Title order={2}>File a claim</Title>
        <ProblemAlert error={error} />
        <Select
          label="Which product?"
          placeholder="Choose an order line"
          data={lines}
          searchable
          {...form.getInputProps('line')}
        />
        <Radio.Group label="What happened?" {...form.getInputProps('type')}>
          <Group mt={4}>
            <Radio value="property_damage" label="Property damage" />
            <Radio value="personal_injury" label="Personal injury" />
          </Group>
        </Radio.Group>
        <TextInput type="datetime-local" label="When did it happen?" {...form.getInputProps('incidentAt')} />
        <Textarea
          label="Describe what happened"
          autosize
          minRows={4}
          {...form.getInputProps('description')}
        />
        <Card withBorder>
          <Stack>
            <Text fw={600}>Itemised losses</Text>
            {form.values.damages.map((damage, i) => (
              <Group key={damage.key} align="flex-end" wrap="wrap">
                <Select
                  label="Kind"
                  data={DAMAGE_KINDS.map((k) => ({ ...k }))}
                  allowDeselect={false}
                  w={180}
                  {...form.getInputProps(`damages.${i}.kind`)}
                />
                <TextInput
                  label="What"
                  style={{ flex: 1, minWidth: 160 }}
                  {...form.getInputProps(`damages.${i}.description`)}
                />
                <NumberInput
                  label={`Amount (${currency})`}
                  min={0}
                  decimalScale={2}
                  w={140}
                  {...form.getInputProps(`damages.${i}.amount`)}
                />
                {form.values.damages.length > 1 && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove loss ${i + 1}`}
                    onClick={() => form.removeListItem('damages', i)}
                  >
                    ×
                  </ActionIcon>
                )}
              </Group>
            ))}
            <Group justify="space-between">
              <Button
                variant="subtle"
                onClick={() =>
                  form.insertListItem('damages', {
                    key: randomId(),
                    kind: 'property_damage',
                    description: '',
                    amount: 0,
                  })
                }
              >
                Add a loss
              </Button>
              <Text>Total: {formatMoney({ value: total, currency })}</Text>
            </Group>
          </Stack>
        </Card>
        <Dropzone
          onDrop={(dropped) => setFiles((f) => [...f, ...dropped])}
          accept={['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf']}
          maxSize={10 * 1024 * 1024}
          maxFiles={10}
          aria-label="Photos and documents"
        >
          <Text ta="center" size="sm" py="md">
            Drop photos, receipts and medical bills here, or click to choose (10 MB each)
          </Text>
        </Dropzone>
        {files.length > 0 && <Text size="sm">{files.map((f) => f.name).join(', ')}</Text>}
        {progress && <Text size="sm">{progress}</Text>}
        <Button type="submit" loading={form.submitting}>
          Submit claim
        </Button>
      </Stack>
    </form>
  );
}
