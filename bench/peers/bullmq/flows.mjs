// Flow scenarios of the BullMQ peer (bench.mjs calls these), the same
// metrics and JSON fields as bench/ff_flow_scenarios.c:
//   flow-dag FLOWS STAGES WORKERS   a linear chain of STAGES jobs per flow, as
//       BullMQ's FlowProducer expresses one: a parent waits for its children,
//       so the chain is a STAGES-deep nesting whose deepest child is the first
//       stage and whose root is the last. One FlowProducer.add() per flow.
//   flow-fanout FLOWS N WORKERS     root -> N children -> join. A BullMQ flow is
//       a tree (a parent waits for its children; nothing waits for a job that
//       has no parent), so 1 -> N -> 1 is not one flow: the root is a plain
//       job whose processor adds the flow "join with N children" and then
//       returns. The fan-out therefore costs the root's processor one
//       FlowProducer.add() round trip before its own completion, and it is not
//       atomic with the root's completion (a root retried after a crash adds
//       again: the join's fixed jobId makes that a no-op while it exists).
// Every job is a no-op; its data carries its index (flow * per_flow +
// member) and the processor stamps its start, and its end right before it
// returns (BullMQ then makes the completing call, moveToFinished, which
// releases the parent in the same script): the end stamp sits where ours
// does, before the completing call. One Worker of WORKERS concurrency runs
// every job; the clock runs from the first add to the last processor return.

function arrays(total, flows) {
  return { started: new Float64Array(total), ended: new Float64Array(total), submit: new Float64Array(flows) };
}

// Starts a Worker that stamps every job and resolves `done` at the
// total-th end; `extra(job)` runs between the end stamp and the return.
async function startWorker(h, queueName, workers, d, total, extra) {
  let count = 0;
  let resolve;
  let reject;
  const done = new Promise((res, rej) => { resolve = res; reject = rej; });
  const w = new h.bullmq.Worker(queueName, async (job) => {
    const i = job.data.i;
    d.started[i] = h.nowMs();
    d.ended[i] = h.nowMs();
    if (extra) await extra(job);
    if (++count === total) resolve(h.nowMs());
  }, { connection: h.connection, concurrency: workers });
  w.on('error', (e) => console.error('bullmq worker error:', e.message));
  w.on('failed', (job, e) => reject(new Error('job ' + (job && job.name) + ' failed: ' + e.message)));
  await w.waitUntilReady();
  const timer = setTimeout(() => reject(new Error('only ' + count + ' of ' + total + ' jobs ended')), 120000);
  return { w, done: done.finally(() => clearTimeout(timer)) };
}

function chainTree(queueName, opts, flow, stages) {
  let node = null;
  for (let s = 0; s < stages; s++) {
    const n = { name: 'stage', queueName, data: { i: flow * stages + s }, opts };
    if (node) n.children = [node];
    node = n;
  }
  return node; // the last stage, the root of the nesting
}

export async function runFlowDag(h, flows, stages, workers) {
  const queueName = h.qname;
  const d = arrays(flows * stages, flows);
  const trees = [];
  for (let f = 0; f < flows; f++) trees.push(chainTree(queueName, h.JOBOPTS, f, stages));
  const producer = new h.bullmq.FlowProducer({ connection: h.connection });
  await producer.waitUntilReady();
  const { w, done } = await startWorker(h, queueName, workers, d, flows * stages, null);
  await h.sleep(300);

  const s0 = await h.snap(); const c0 = h.cpuUs(); const t0 = h.nowMs();
  const adds = [];
  for (let f = 0; f < flows; f++) { d.submit[f] = h.nowMs(); adds.push(producer.add(trees[f])); }
  await Promise.all(adds);
  const t1 = await done;
  const ccpu = h.cpuUs() - c0; const s1 = await h.snap();

  const perFlow = []; const perStage = [];
  for (let f = 0; f < flows; f++) {
    const base = f * stages;
    perFlow.push(d.ended[base + stages - 1] - d.submit[f]);
    for (let s = 1; s < stages; s++) perStage.push(Math.max(0, d.started[base + s] - d.ended[base + s - 1]));
  }
  const o = h.result({ scenario: 'flow-dag', concurrency: workers, jobs: flows, elapsedMs: t1 - t0, s0, s1,
    clientCpuUs: ccpu, lat: perFlow,
    note: 'FlowProducer, one add() per flow: the chain is a ' + stages + '-deep nesting (deepest child = first stage); '
      + 'one Worker of concurrency ' + workers + '; throughput = flows/s, setup included; latency = per flow, add start -> '
      + 'last stage (the root) ended; stage = next job\'s processor start - previous job\'s processor return' });
  o.stages = stages;
  o.stage_p50_ms = h.fix(h.pct(perStage, 0.5), 3);
  o.stage_p99_ms = h.fix(h.pct(perStage, 0.99), 3);
  h.emit(o);
  await w.close();
  await producer.close();
}

export async function runFlowFanout(h, flows, width, workers) {
  const queueName = h.qname;
  const per = width + 2; // 0 = root, 1..width = children, width + 1 = join
  const d = arrays(flows * per, flows);
  const joins = [];
  for (let f = 0; f < flows; f++) {
    const children = [];
    for (let k = 1; k <= width; k++) children.push({ name: 'child', queueName, data: { i: f * per + k }, opts: h.JOBOPTS });
    joins.push({ name: 'join', queueName, data: { i: f * per + width + 1, f },
      opts: { ...h.JOBOPTS, jobId: 'join-' + process.pid + '-' + f }, children });
  }
  const queue = new h.bullmq.Queue(queueName, { connection: h.connection });
  await queue.waitUntilReady();
  const producer = new h.bullmq.FlowProducer({ connection: h.connection });
  await producer.waitUntilReady();
  // the root's fan-out: add the join's flow, then return (BullMQ completes it)
  const fanOut = async (job) => { if (job.name === 'root') await producer.add(joins[job.data.f]); };
  const { w, done } = await startWorker(h, queueName, workers, d, flows * per, fanOut);
  await h.sleep(300);

  const s0 = await h.snap(); const c0 = h.cpuUs(); const t0 = h.nowMs();
  const adds = [];
  for (let f = 0; f < flows; f++) {
    d.submit[f] = h.nowMs();
    adds.push(queue.add('root', { i: f * per, f }, h.JOBOPTS));
  }
  await Promise.all(adds);
  const t1 = await done;
  const ccpu = h.cpuUs() - c0; const s1 = await h.snap();

  const perFlow = []; const fan = []; const join = [];
  for (let f = 0; f < flows; f++) {
    const base = f * per;
    let lastStart = 0; let lastEnd = 0;
    for (let k = 1; k <= width; k++) {
      lastStart = Math.max(lastStart, d.started[base + k]);
      lastEnd = Math.max(lastEnd, d.ended[base + k]);
    }
    perFlow.push(d.ended[base + width + 1] - d.submit[f]);
    fan.push(Math.max(0, lastStart - d.ended[base]));
    join.push(Math.max(0, d.started[base + width + 1] - lastEnd));
  }
  const o = h.result({ scenario: 'flow-fanout', concurrency: workers, jobs: flows, elapsedMs: t1 - t0, s0, s1,
    clientCpuUs: ccpu, lat: perFlow,
    note: 'no 1->N->1 flow in BullMQ: the root is a plain job (queue.add) whose processor adds the flow "join with '
      + width + ' children" (FlowProducer.add) before it returns; one Worker of concurrency ' + workers
      + '; throughput = flows/s, setup included; latency = per flow, root add start -> join ended; fanout = root\'s '
      + 'processor end stamp (before its add) -> last child started; join = last child\'s processor return -> join started' });
  o.width = width;
  o.members_per_flow = per;
  o.fanout_p50_ms = h.fix(h.pct(fan, 0.5), 3);
  o.fanout_p99_ms = h.fix(h.pct(fan, 0.99), 3);
  o.join_p50_ms = h.fix(h.pct(join, 0.5), 3);
  o.join_p99_ms = h.fix(h.pct(join, 0.99), 3);
  h.emit(o);
  await w.close();
  await producer.close();
  await queue.close();
}
