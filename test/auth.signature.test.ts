import { describe, expect, it } from 'vitest';
import { computeSignature, signaturesMatch } from '../src/auth/signature.js';

const secret = 'SECRETEXAMPLEabcdef0123456789';
const base = {
  timestamp: '1718000000000',
  accessKey: 'AKEXAMPLE1234567890',
  accountId: '',
  clientType: 'Openapi',
};
const host = 'https://filestorage.kr-west1.e.samsungsdscloud.com';

describe('computeSignature', () => {
  it('matches the GET vector with a query', () => {
    const url = `${host}/v1/volumes?limit=20&offset=0&sort=created_at%3Adesc&type_name=HDD`;
    expect(computeSignature(secret, { ...base, method: 'GET', url })).toBe(
      'uIlZo3vdOhd/mOFbKgmPsPb5kUKuuLKRXsXb9IDjqYM=',
    );
  });

  it('matches the POST vector', () => {
    const url = `${host}/v1/replications`;
    expect(computeSignature(secret, { ...base, method: 'POST', url })).toBe(
      'rG0NMP4E9xjp5M8Q4VUW+s2DSnUFZbKRXRFw7H1XhKE=',
    );
  });

  it('matches the PUT vector with an account', () => {
    const url = `${host}/v1/replications/bfdbabf2-04d9-4e8b-a205-020f8e6da438?volume_id=11111111-2222-3333-4444-555555555555`;
    const parts = { ...base, method: 'PUT', url, accountId: 'acc-0001' };
    expect(computeSignature(secret, parts)).toBe('NFVDvOGn2c2DpQ4TwP9E3HCNIjr260ZtHUm5snCS5FU=');
  });

  it('changes when the URL changes', () => {
    const a = computeSignature(secret, { ...base, method: 'GET', url: `${host}/v1/volumes` });
    const b = computeSignature(secret, { ...base, method: 'GET', url: `${host}/v1/volumes/` });
    expect(a).not.toBe(b);
  });
});

describe('signaturesMatch', () => {
  it('accepts equal and rejects different signatures', () => {
    expect(signaturesMatch('abc=', 'abc=')).toBe(true);
    expect(signaturesMatch('abc=', 'abd=')).toBe(false);
    expect(signaturesMatch('abc=', 'abcd=')).toBe(false);
  });
});
