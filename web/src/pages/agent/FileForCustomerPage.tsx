import {
  Button,
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
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.ts';
import { formatMoney, ProblemAlert } from '../../components/ui.tsx';

type Customer =
  paths['/v1/customers']['get']['responses'][200]['content']['application/json']['data'][number];
type Order = paths['/v1/orders']['get']['responses'][200]['content']['application/json']['data'][number];
const CHANNELS = [
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'E-mail' },
  { value: 'letter', label: 'Letter' },
  { value: 'chat', label: 'Chat' },
] as const;

/**
 * Customer service files a claim for a customer who phoned, wrote or chatted: find the customer
 * (full name, e-mail or id: names are matched whole, they are stored sealed), pick the order
 * line, say how the customer reached us, and attach what they sent, in one request.
 */
export function FileForCustomerPage() {
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [customers, setCustomers] = useState<Customer[] | null>(null);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [orders, setOrders] = useState<Order[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);

  const find = async () => {
    setError(null);
    try {
      const found = await call(api.GET('/v1/customers', { params: { query: { q: query } } }));
      setCustomers(found.data);
      if (found.data.length === 1) await choose(found.data[0]?.id ?? null);
    } catch (e) {
      setError(e);
    }
  };
  const choose = async (id: string | null) => {
    setCustomerId(id);
    setOrders([]);
    if (!id) return;
    try {
      setOrders(
        (await call(api.GET('/v1/orders', { params: { query: { customerId: id, limit: 50 } } }))).data,
      );
    } catch (e) {
      setError(e);
    }
  };
  const lines = orders.flatMap((o) =>
    o.lines
      .filter((l) => l.deliveredAt)
      .map((l) => ({
        value: `${o.id}/${l.lineId}`,
        label: `Order ${o.id}, line ${l.lineId}: ${l.productId} (${formatMoney(l.unitPrice)})`,
      })),
  );
  const currency = orders[0]?.lines[0]?.unitPrice.currency ?? 'USD';
  const form = useForm({
    initialValues: {
      line: '',
      channel: '',
      type: 'property_damage',
      incidentAt: '',
      description: '',
      amount: 0,
    },
    validate: {
      line: (v) => (v ? null : 'Choose the order line the claim is about'),
      channel: (v) => (v ? null : 'How did the customer reach you?'),
      incidentAt: (v) => (v ? null : 'When did it happen?'),
      description: (v) =>
        v.trim().length >= 3 ? null : "Write down the customer's account (3 characters or more)",
      amount: (v) => (v > 0 ? null : 'Enter the amount claimed'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    const [orderId = '', lineId = ''] = v.line.split('/');
    const value = Math.round(v.amount * 100);
    const withFiles = (body: unknown) => {
      const data = new FormData();
      data.append('claim', JSON.stringify(body));
      for (const file of files)
        data.append(file.type === 'application/pdf' ? 'other' : 'photo', file, file.name);
      return data;
    };
    try {
      const claim = await call(
        api.POST('/v1/claims', {
          params: { header: { 'idempotency-key': idempotencyKey } },
          body: {
            customerId: customerId ?? '',
            channel: v.channel as (typeof CHANNELS)[number]['value'],
            orderId,
            lineId,
            type: v.type as 'property_damage' | 'personal_injury',
            incidentAt: new Date(v.incidentAt).toISOString(),
            description: v.description,
            amount: { value, currency },
            damages: [
              {
                kind: v.type === 'personal_injury' ? 'medical_bills' : 'property_damage',
                description: 'As the customer reported it',
                amount: { value, currency },
              },
            ],
          },
          ...(files.length > 0 ? { bodySerializer: withFiles } : {}),
        }),
      );
      navigate(`/claims/${claim.id}`);
    } catch (e) {
      setError(e);
    }
  });

  return (
    <Stack maw={720}>
      <Title order={2}>File a claim for a customer</Title>
      <ProblemAlert error={error} />
      <Group align="flex-end">
        <TextInput
          label="Customer"
          description="Full name, e-mail or customer id"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void find();
          }}
          style={{ flex: 1 }}
        />
        <Button onClick={() => void find()} disabled={query.trim().length < 2}>
          Find
        </Button>
      </Group>
      {customers && customers.length === 0 && (
        <Text size="sm">No customer found: try the full name or e-mail.</Text>
      )}
      {customers && customers.length > 0 && (
        <Radio.Group label="Which customer?" value={customerId} onChange={(id) => void choose(id)}>
          <Stack mt={4} gap={4}>
            {customers.map((c) => (
              <Radio key={c.id} value={c.id} label={`${c.name} · ${c.email} (${c.id})`} />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {customerId && (
        <form onSubmit={submit}>
          <Stack>
            <Select
              label="Which order line?"
              placeholder="Choose"
              data={lines}
              {...form.getInputProps('line')}
            />
            <Select
              label="How did the customer reach you?"
              data={CHANNELS.map((c) => ({ ...c }))}
              {...form.getInputProps('channel')}
            />
            <Radio.Group label="What happened?" {...form.getInputProps('type')}>
              <Group mt={4}>
                <Radio value="property_damage" label="Property damage" />
                <Radio value="personal_injury" label="Personal injury" />
              </Group>
            </Radio.Group>
            <TextInput
              type="datetime-local"
              label="When did it happen?"
              {...form.getInputProps('incidentAt')}
            />
            <Textarea
              label="The customer's account"
              autosize
              minRows={4}
              {...form.getInputProps('description')}
            />
            <NumberInput
              label={`Amount claimed (${currency})`}
              min={0}
              decimalScale={2}
              {...form.getInputProps('amount')}
            />
            <Dropzone
              onDrop={(dropped) => setFiles((f) => [...f, ...dropped])}
              accept={['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf']}
              maxSize={10 * 1024 * 1024}
              maxFiles={10}
              aria-label="Evidence the customer sent"
            >
              <Text ta="center" size="sm" py="md">
                Drop the photos and documents the customer sent, or click to choose (10 MB each)
              </Text>
            </Dropzone>
            {files.length > 0 && <Text size="sm">{files.map((f) => f.name).join(', ')}</Text>}
            <Button type="submit" loading={form.submitting}>
              File the claim
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
