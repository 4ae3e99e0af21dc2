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
import { type FileClaimRequest, ZFileClaimRequest } from '../../../src/claims/claim-request.schemas.ts';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { formatMoney, formErrors, ProblemAlert } from '../components/ui.tsx';
import { minorUnitsPerMajor } from '../format/money.ts';

type Order = paths['/v1/orders']['get']['responses'][200]['content']['application/json']['data'][number];
const DAMAGE_KINDS = [
  { value: 'property_damage', label: 'Property damage' },
  { value: 'medical_bills', label: 'Medical bills' },
  { value: 'lost_earnings', label: 'Lost earnings' },
  { value: 'purchase_price', label: 'Purchase price' },
  { value: 'other_economic', label: 'Other economic loss' },
] as const;
type DamageKind = (typeof DAMAGE_KINDS)[number]['value'];

interface FormValues {
  line: string;
  type: FileClaimRequest['type'];
  incidentAt: string;
  description: string;
  damages: { key: string; kind: DamageKind; description: string; amount: number | string }[];
}

/** An amount typed in major units, in the currency's minor units (pence, cents; yen have none). */
const minor = (amount: number | string, currency: string) =>
  Math.round((Number(amount) || 0) * minorUnitsPerMajor(currency));

/** The filing the form's values stand for: what is sent, and what the shared schema checks. */
function toRequest(v: FormValues, currency: string): FileClaimRequest {
  const [orderId = '', lineId = ''] = v.line.split('/');
  const incidentAt = v.incidentAt ? new Date(v.incidentAt) : null;
  const damages = v.damages.map((d) => ({
    kind: d.kind,
    description: d.description,
    amount: { value: minor(d.amount, currency), currency },
  }));
  return {
    orderId,
    lineId,
    // A customer filing in the web app (an agent files through the agent's form).
    channel: 'web',
    type: v.type,
    incidentAt: incidentAt && !Number.isNaN(incidentAt.getTime()) ? incidentAt.toISOString() : '',
    description: v.description,
    amount: { value: damages.reduce((sum, d) => sum + d.amount.value, 0), currency },
    damages,
  };
}

/** Which form field a path of the request comes from. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [head, index, leaf] = path.map(String);
  if (head === 'orderId' || head === 'lineId') return 'line';
  if (head === 'damages' && index !== undefined && leaf !== undefined) return `damages.${index}.${leaf}`;
  return head ?? 'form';
}

/**
 * The API's own rules (src/claims/claim-request.schemas.ts, the schema the route validates with),
 * worded for the form, plus what only a person filling it needs: a product chosen, a date, an
 * amount for each loss.
 */
function validate(values: FormValues, currency: string): Record<string, string> {
  const errors = formErrors(ZFileClaimRequest.safeParse(toRequest(values, currency)).error, fieldOf);
  if (!values.line) errors.line = 'Choose the product that caused the harm';
  if (!values.incidentAt) errors.incidentAt = 'When did it happen?';
  values.damages.forEach((d, i) => {
    if (!d.description.trim()) errors[`damages.${i}.description`] = 'Say what this loss is';
    if (minor(d.amount, currency) <= 0) errors[`damages.${i}.amount`] = 'Enter the amount';
  });
  return errors;
}

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
        label: `${l.productTitle ?? 'Product'}${l.sellerName ? ` from ${l.sellerName}` : ''} · ${formatMoney(l.unitPrice)} · delivered ${new Date(l.deliveredAt ?? '').toLocaleDateString('en-US', { day: 'numeric', month: 'short', year: 'numeric' })}`,
      })),
  );
  // The chosen line's currency (a UK order is in GBP); before a line is chosen, the first order's.
  const currencyOf = (line: string) =>
    (orders.flatMap((o) => o.lines.filter((l) => `${o.id}/${l.lineId}` === line))[0] ?? orders[0]?.lines[0])
      ?.unitPrice.currency ?? 'USD';
  const form = useForm<FormValues>({
    initialValues: {
      line: '',
      type: 'property_damage',
      incidentAt: '',
      description: '',
      damages: [{ key: randomId(), kind: 'property_damage', description: '', amount: '' }],
    },
    validate: (values) => validate(values, currencyOf(values.line)),
  });
  const currency = currencyOf(form.values.line);
  const total = form.values.damages.reduce((sum, d) => sum + minor(d.amount, currency), 0);
  const submit = form.onSubmit(async (v) => {
    setError(null);
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
          body: toRequest(v, currency),
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
                    amount: '',
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
        {files.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Sent with the claim
            </Text>
            {files.map((file) => (
              <Group key={`${file.name}-${file.size}-${file.lastModified}`} gap="xs" wrap="nowrap">
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {file.name}
                </Text>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${file.name}`}
                  onClick={() => setFiles((list) => list.filter((f) => f !== file))}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        {progress && <Text size="sm">{progress}</Text>}
        <Button type="submit" loading={form.submitting}>
          Submit claim
        </Button>
      </Stack>
    </form>
  );
}
