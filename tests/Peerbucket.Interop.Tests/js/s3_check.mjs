// Drives Peerbucket with the AWS SDK for JavaScript v3 (default settings, path style).
// Usage: node s3_check.mjs ENDPOINT BUCKET   (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, CreateMultipartUploadCommand,
  UploadPartCommand, CompleteMultipartUploadCommand, DeleteObjectCommand, DeleteBucketCommand, HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';

const [endpoint, bucket] = process.argv.slice(2);
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1 });

function bytes(length, seed) {
  // xorshift32 with a fixed seed: the same bytes every run
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const md5 = (b) => createHash('md5').update(b).digest('hex');

await s3.send(new CreateBucketCommand({ Bucket: bucket }));

const small = bytes(20000, 601);
const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'js/small.bin', Body: small, ContentType: 'application/x-js' }));
assert.equal(put.ETag, `"${md5(small)}"`);
const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'js/small.bin' }));
assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), Buffer.from(small));
assert.equal(got.ContentType, 'application/x-js');

const first = bytes(5 * 1024 * 1024, 602);
const second = bytes(1234, 603);
const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'js/multi.bin' }));
const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'js/multi.bin', UploadId: mpu.UploadId, PartNumber: 1, Body: first }));
const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'js/multi.bin', UploadId: mpu.UploadId, PartNumber: 2, Body: second }));
const done = await s3.send(new CompleteMultipartUploadCommand({
  Bucket: bucket, Key: 'js/multi.bin', UploadId: mpu.UploadId,
  MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
}));
assert.match(done.ETag, /-2"$/);
const whole = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'js/multi.bin' }));
const wholeBytes = Buffer.from(await whole.Body.transformToByteArray());
assert.equal(wholeBytes.length, first.length + second.length);
assert.ok(wholeBytes.equals(Buffer.concat([first, second])), 'multipart bytes differ');

const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'js/' }));
assert.deepEqual(listed.Contents.map((o) => o.Key), ['js/multi.bin', 'js/small.bin']);
assert.equal(listed.KeyCount, 2);

await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'js/small.bin' }));
await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'js/multi.bin' }));
await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'js/small.bin' })), (e) => e.$metadata.httpStatusCode === 404);
const empty = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
assert.equal(empty.KeyCount, 0);
await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
console.log('js sdk ok');
