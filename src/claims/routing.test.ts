import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../marketplace/policy.ts';
import {
  backToSeller,
  routeAfterScreening,
  routeApproval,
  routeSellerAnswer,
  routeValidClaim,
} from './routing.ts';

describe('who pays', () => {
  it('has the marketplace pay a valid claim at the small-claim limit at once, and tells the seller', () => {
    expect(routeValidClaim(100_000, DEFAULT_POLICY)).toMatchObject({
      status: 'approved',
      payer: 'marketplace',
      stepIn: false,
      sellerNotice: 'defend',
    });
  });

  it('asks the seller to answer a claim one cent above the limit', () => {
    expect(routeValidClaim(100_001, DEFAULT_POLICY)).toMatchObject({
      status: 'awaiting_seller',
      payer: null,
      sellerNotice: 'respond',
    });
  });

  it('follows the seller: accept → seller pays, dispute → agent reviews', () => {
    expect(routeSellerAnswer('accept')).toMatchObject({ status: 'approved', payer: 'seller' });
    expect(routeSellerAnswer('dispute')).toMatchObject({ status: 'under_review', reviewKind: 'dispute' });
  });

  it('sends a claim whose tender was declined back to the seller, to answer with a fresh deadline', () => {
    expect(backToSeller()).toEqual({
      status: 'awaiting_seller',
      payer: null,
      stepIn: false,
      reviewKind: null,
      sellerNotice: 'respond',
    });
  });

  it('steps in when an agent holds a disputed claim valid', () => {
    expect(routeApproval('dispute', true, 500_000, DEFAULT_POLICY)).toMatchObject({
      status: 'approved',
      payer: 'marketplace',
      stepIn: true,
    });
  });

  it('continues a risk-reviewed claim as a valid one', () => {
    expect(routeApproval('risk', false, 500_000, DEFAULT_POLICY)).toMatchObject({
      status: 'awaiting_seller',
    });
    expect(routeApproval('appeal', false, 5_000, DEFAULT_POLICY)).toMatchObject({
      status: 'approved',
      stepIn: false,
    });
  });

  it('sends screening outcomes where they belong', () => {
    expect(routeAfterScreening('needs_info', 1, DEFAULT_POLICY).status).toBe('needs_info');
    expect(routeAfterScreening('review', 1, DEFAULT_POLICY)).toMatchObject({
      status: 'under_review',
      reviewKind: 'risk',
    });
    expect(routeAfterScreening('expert', 1, DEFAULT_POLICY).status).toBe('expert_review');
  });
});
