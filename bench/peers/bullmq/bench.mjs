// BullMQ side of FlowFabric's benchmark comparison (system "bullmq").
// Run by bench/run; by hand: node bench.mjs URL SCENARIO ARGS
//   e2e CONC N | process CONC N | latency ROUNDS SAMPLES | idle SECONDS | memory N
//   flow-dag FLOWS STAGES WORKERS | flow-fanout FLOWS N WORKERS (flows.mjs)
// Same semantics, knobs and JSON fields as bench/ff_bench.c:
//   - CONC = Worker concurrency (jobs processed in parallel), no-op processor;
//   - producers keep BENCH_SUBMIT_WINDOW queue.add() calls in flight;
//   - each job's data carries the submit time; latency = submit -> worker 'completed';
//   - Redis commands / CPU from INFO deltas around the measured interval,
//     client CPU from process.cpuUsage().
// Jobs use removeOnComplete/removeOnFail (as in shared/reference/peers.md and
// DESIGN.md section 6); BENCH_BULLMQ_KEEP=1 keeps finished jobs instead.
// WARNING: point it only at a private, throw-away redis-server.
import { createRequire } from 'node:module';
import { runFlowDag, runFlowFanout } from './flows.mjs';

const require = createRequire(import.meta.url);
const bullmq = require('bullmq');
const ioredisMod = require('ioredis');
const Redis = ioredisMod.Redis || ioredisMod.default || ioredisMod;
const { Queue, Worker, QueueEvents } = bullmq;
const BULLMQ_VERSION = require('bullmq/package.json').version;

const SYSTEM = 'bullmq';
const env = (k, d) => { const v = process.env[k]; const n = parseInt(v, 10); return v === undefined || v === '' || Number.isNaN(n) ? d : n; };
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const [url, scen, ...args] = process.argv.slice(2);
if (!url || !scen) {
  console.error('usage: node bench.mjs URL e2e CONC N | process CONC N | latency ROUNDS SAMPLES | idle SECONDS | memory N'
    + ' | flow-dag FLOWS STAGES WORKERS | flow-fanout FLOWS N WORKERS');
  process.exit(2);
}
const m = /^(?:redis:\/\/)?([^:/]+):(\d+)/.exec(url);
if (!m) { console.error('bad url ' + url); process.exit(2); }
const connection = { host: m[1], port: parseInt(m[2], 10), maxRetriesPerRequest: null };
const KEEP = env('BENCH_BULLMQ_KEEP', 0) === 1;
const JOBOPTS = KEEP ? {} : { removeOnComplete: true, removeOnFail: true };
const WINDOW = env('BENCH_SUBMIT_WINDOW', 128);

const admin = new Redis({ ...connection });
let redisVersion = '';

function infoField(txt, key) {
  const mm = new RegExp('(?:^|\\n)' + key + ':([0-9.]+)').exec(txt);
  return mm ? parseFloat(mm[1]) : 0;
}
async function snap() {
  const txt = await admin.call('INFO', 'stats', 'cpu', 'memory');
  return {
    cmds: infoField(txt, 'total_commands_processed'),
    cpu_us: (infoField(txt, 'used_cpu_user') + infoField(txt, 'used_cpu_sys')) * 1e6,
    used_memory: infoField(txt, 'used_memory'),
    mem_clients: infoField(txt, 'mem_clients_normal'),
  };
}
const SNAP_CMDS = 1; // the INFO of the first snapshot is counted in the second
const cpuUs = () => { const c = process.cpuUsage(); return c.user + c.system; };

function pct(arr, q) { // nearest rank, like bench_util.c
  if (!arr.length) return null;
  const s = Float64Array.from(arr).sort();
  let rank = Math.ceil(q * s.length);
  if (rank < 1) rank = 1;
  if (rank > s.length) rank = s.length;
  return s[rank - 1];
}
const fix = (x, d) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));

// The standard fields, in the same order as bu_result_json().
function result({ scenario, concurrency, jobs, elapsedMs, s0, s1, clientCpuUs, lat, noThroughput, note }) {
  const o = {
    scenario, system: SYSTEM, concurrency, jobs,
    throughput_per_s: !noThroughput && jobs > 0 && elapsedMs > 0 ? Math.round(jobs / (elapsedMs / 1000)) : null,
    p50_ms: lat ? fix(pct(lat, 0.5), 3) : null,
    p95_ms: lat ? fix(pct(lat, 0.95), 3) : null,
    p99_ms: lat ? fix(pct(lat, 0.99), 3) : null,
    redis_cmds_per_job: jobs > 0 ? fix((s1.cmds - s0.cmds - SNAP_CMDS) / jobs, 2) : null,
    redis_cpu_us_per_job: jobs > 0 ? fix((s1.cpu_us - s0.cpu_us) / jobs, 2) : null,
    client_cpu_us_per_job: jobs > 0 && clientCpuUs !== null ? fix(clientCpuUs / jobs, 2) : null,
    elapsed_ms: fix(elapsedMs, 1),
    redis_version: redisVersion,
  };
  if (note) o.note = note;
  o.bullmq_version = BULLMQ_VERSION;
  o.remove_on_complete = !KEEP;
  return o;
}
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function payloadString(bytes) {
  let s = '';
  while (s.length < bytes) s += 'abcdefghijklmnopqrstuvwxyz';
  return s.slice(0, bytes);
}

// Keep `window` adds in flight until n were acknowledged.
async function produce(queue, n, window, makeData) {
  let next = 0;
  const lanes = [];
  for (let w = 0; w < Math.min(window, n); w++) {
    lanes.push((async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        await queue.add('j', makeData(i), JOBOPTS);
      }
    })());
  }
  await Promise.all(lanes);
}

const qname = 'bench-' + scen + '-' + process.pid;

async function runE2E(conc, n) {
  const P = payloadString(env('BENCH_PAYLOAD', 4096));
  const queue = new Queue(qname, { connection });
  await queue.waitUntilReady();
  const lat = [];
  let done = 0; let t1 = 0; let resolve; const fin = new Promise((r) => (resolve = r));
  const w = new Worker(qname, async () => {}, { connection, concurrency: conc });
  w.on('completed', (job) => {
    const t = nowMs();
    lat.push(t - job.data.t);
    if (++done === n) { t1 = t; resolve(); }
  });
  w.on('error', (e) => console.error('bullmq worker error:', e.message));
  await w.waitUntilReady();
  await sleep(200); // let the worker block on its marker
  const s0 = await snap(); const c0 = cpuUs(); const t0 = nowMs();
  await produce(queue, n, WINDOW, () => ({ t: nowMs(), p: P }));
  const tSub = nowMs();
  await fin;
  const s1 = await snap(); const ccpu = cpuUs() - c0;
  await w.close();
  const o = result({ scenario: 's1-e2e', concurrency: conc, jobs: n, elapsedMs: t1 - t0, s0, s1, clientCpuUs: ccpu, lat,
    note: 'BullMQ Worker (defaults, no-op processor); producer keeps ' + WINDOW + ' queue.add() in flight; latency = add start -> worker completed event' });
  o.payload_bytes = P.length; o.submit_window = WINDOW; o.submit_ms = fix(tSub - t0, 1);
  emit(o);
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
}

async function runProcess(conc, n) {
  const P = payloadString(env('BENCH_PAYLOAD', 4096));
  const queue = new Queue(qname, { connection });
  await queue.waitUntilReady();
  const ts = nowMs();
  await produce(queue, n, WINDOW, () => ({ t: nowMs(), p: P }));
  const seedMs = nowMs() - ts;
  let done = 0; let t1 = 0; let resolve; const fin = new Promise((r) => (resolve = r));
  const w = new Worker(qname, async () => {}, { connection, concurrency: conc, autorun: false });
  w.on('completed', () => { if (++done === n) { t1 = nowMs(); resolve(); } });
  w.on('error', (e) => console.error('bullmq worker error:', e.message));
  await w.waitUntilReady();
  const s0 = await snap(); const c0 = cpuUs(); const t0 = nowMs();
  w.run().catch((e) => console.error('bullmq worker run:', e.message));
  await fin;
  const s1 = await snap(); const ccpu = cpuUs() - c0;
  await w.close();
  const o = result({ scenario: 's1-process', concurrency: conc, jobs: n, elapsedMs: t1 - t0, s0, s1, clientCpuUs: ccpu, lat: null,
    note: 'BullMQ Worker (defaults, no-op processor), started after ' + n + ' jobs were added' });
  o.payload_bytes = P.length; o.seed_per_s = Math.round(n / (seedMs / 1000));
  emit(o);
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
}

async function runLatency(rounds, samples) {
  const P = payloadString(env('BENCH_PAYLOAD', 4096));
  const warmup = env('BENCH_WARMUP', 5);
  const queue = new Queue(qname, { connection });
  await queue.waitUntilReady();
  const qe = new QueueEvents(qname, { connection });
  await qe.waitUntilReady();
  const w = new Worker(qname, async () => {}, { connection, concurrency: 1 });
  w.on('error', (e) => console.error('bullmq worker error:', e.message));
  await w.waitUntilReady();
  await sleep(300);
  const all = []; const roundP50 = [];
  let s0 = null; let c0 = 0; let tStart = 0;
  for (let round = warmup > 0 ? -1 : 0; round < rounds; round++) {
    if (round === 0) { s0 = await snap(); c0 = cpuUs(); tStart = nowMs(); }
    const count = round < 0 ? warmup : samples;
    const cur = [];
    for (let i = 0; i < count; i++) {
      const t0 = nowMs();
      const job = await queue.add('j', { t: t0, p: P }, JOBOPTS.removeOnComplete ? { removeOnComplete: 100, removeOnFail: 100 } : {});
      await job.waitUntilFinished(qe);
      const ms = nowMs() - t0;
      if (round >= 0) { all.push(ms); cur.push(ms); }
    }
    if (round >= 0) roundP50.push(fix(pct(cur, 0.5), 3));
  }
  const s1 = await snap(); const ccpu = cpuUs() - c0;
  const o = result({ scenario: 'latency-idle', concurrency: 1, jobs: rounds * samples, elapsedMs: nowMs() - tStart, s0, s1, clientCpuUs: ccpu, lat: all, noThroughput: true,
    note: 'idle BullMQ Worker (blocked on its marker); latency = queue.add start -> job.waitUntilFinished(QueueEvents) resolves' });
  o.rounds = rounds; o.samples_per_round = samples; o.round_p50_ms = roundP50; o.max_ms = fix(pct(all, 1), 3);
  emit(o);
  await w.close(); await qe.close();
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
}

async function runIdle(seconds) {
  const w = new Worker(qname, async () => {}, { connection, concurrency: 1 });
  w.on('error', (e) => console.error('bullmq worker error:', e.message));
  await w.waitUntilReady();
  await sleep(1000);
  const s0 = await snap(); const c0 = cpuUs(); const t0 = nowMs();
  await sleep(seconds * 1000);
  const s1 = await snap(); const ccpu = cpuUs() - c0; const el = (nowMs() - t0) / 1000;
  await w.close();
  const o = result({ scenario: 'idle-worker', concurrency: 1, jobs: 0, elapsedMs: el * 1000, s0, s1, clientCpuUs: ccpu, lat: null, noThroughput: true,
    note: 'idle BullMQ Worker with default options (drainDelay 5 s marker wait, stalled check 30 s)' });
  o.idle_cmds_per_s = fix((s1.cmds - s0.cmds - SNAP_CMDS) / el, 2);
  o.idle_redis_cpu_us_per_s = fix((s1.cpu_us - s0.cpu_us) / el, 1);
  o.idle_client_cpu_us_per_s = fix(ccpu / el, 1);
  emit(o);
}

async function runMemory(n) {
  const P = payloadString(env('BENCH_MEM_PAYLOAD', 16));
  const queue = new Queue(qname, { connection });
  await queue.waitUntilReady();
  const s0 = await snap(); const c0 = cpuUs(); const t0 = nowMs();
  await produce(queue, n, WINDOW, () => ({ p: P }));
  const t1 = nowMs(); const ccpu = cpuUs() - c0;
  await sleep(200);
  const s1 = await snap();
  const o = result({ scenario: 'memory-pending', concurrency: WINDOW, jobs: n, elapsedMs: t1 - t0, s0, s1, clientCpuUs: ccpu, lat: null,
    note: 'throughput_per_s here = add-only rate (no worker); concurrency = adds in flight' });
  // data-set growth: used_memory delta minus the change of client buffers (as bu_data_memory_delta)
  o.bytes_per_pending = fix(((s1.used_memory - s1.mem_clients) - (s0.used_memory - s0.mem_clients)) / n, 1);
  o.used_memory_delta = s1.used_memory - s0.used_memory;
  o.payload_bytes = P.length;
  emit(o);
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
}

// What the flow scenarios (flows.mjs) share with this file.
const flowHelpers = () => ({ bullmq, connection, JOBOPTS, qname, snap, result, emit, cpuUs, nowMs, sleep, pct, fix });

async function main() {
  const srv = await admin.call('INFO', 'server');
  redisVersion = (/redis_version:([^\r\n]+)/.exec(srv) || [])[1] || '';
  const a = args.map((x) => parseFloat(x));
  if (scen === 'e2e' && args.length === 2) await runE2E(a[0], a[1]);
  else if (scen === 'process' && args.length === 2) await runProcess(a[0], a[1]);
  else if (scen === 'latency' && args.length === 2) await runLatency(a[0], a[1]);
  else if (scen === 'idle' && args.length === 1) await runIdle(a[0]);
  else if (scen === 'memory' && args.length === 1) await runMemory(a[0]);
  else if (scen === 'flow-dag' && args.length === 3) await runFlowDag(flowHelpers(), a[0], a[1], a[2]);
  else if (scen === 'flow-fanout' && args.length === 3) await runFlowFanout(flowHelpers(), a[0], a[1], a[2]);
  else { console.error('bad scenario/arguments: ' + scen + ' ' + args.join(' ')); process.exit(2); }
  await admin.quit();
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
