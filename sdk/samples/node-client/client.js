#!/usr/bin/env node
// Calls a ChasiSre business adapter over gRPC using nothing but schemas/proto/chasi/v1/adapter.proto:
// the proof that the pull-mode contract works outside C#.
//
//   node client.js <host:port> <token>
//
// Prints one JSON object on stdout: the status, runbook ids, recent log and event counts, and
// the status code a wrong token gets. Exit 1 on any unexpected error.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, token] = process.argv.slice(2);
if (!address || !token) {
  console.error('usage: node client.js <host:port> <token>');
  process.exit(2);
}

const protoRoot = path.resolve(__dirname, '../../../schemas/proto');
const definition = protoLoader.loadSync('chasi/v1/adapter.proto', {
  includeDirs: [protoRoot],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const chasi = grpc.loadPackageDefinition(definition).chasi.v1;
const client = new chasi.BusinessAdapter(address, grpc.credentials.createInsecure());

function call(method, request, bearer) {
  const metadata = new grpc.Metadata();
  metadata.add('authorization', `Bearer ${bearer}`);
  const deadline = new Date(Date.now() + 5000);
  return new Promise((resolve, reject) =>
    client[method](request, metadata, { deadline }, (error, response) => (error ? reject(error) : resolve(response))));
}

function timestamp(date) {
  return { seconds: String(Math.floor(date.getTime() / 1000)), nanos: 0 };
}

async function main() {
  const now = new Date();
  const range = { from: timestamp(new Date(now.getTime() - 10 * 60 * 1000)), to: timestamp(new Date(now.getTime() + 60 * 1000)) };
  const status = await call('GetStatus', {}, token);
  const runbooks = await call('ListRunbooks', {}, token);
  const logs = await call('QueryLogs', { range, keywords: [], limit: 5 }, token);
  const events = await call('GetEvents', { range, event_types: ['Warning', 'Error'], limit: 5 }, token);
  let wrongToken = 'OK';
  try {
    await call('GetStatus', {}, 'not-the-token');
  } catch (error) {
    wrongToken = grpc.status[error.code];
  }

  process.stdout.write(JSON.stringify({
    adapter: status.adapter,
    healthy: status.status.healthy,
    summary: status.status.summary,
    metrics: status.status.metrics,
    runbooks: runbooks.runbooks.map((r) => r.id),
    logs: logs.logs.map((l) => ({ level: l.level, message: l.message })),
    events: events.events.map((e) => ({ type: e.event.type, reason: e.event.reason })),
    wrong_token: wrongToken,
  }) + '\n');
}

main()
  .catch((error) => {
    console.error(`node client failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => client.close());
