// Runs in the nat load container (bench/nat.mjs) for the whole run, so its autocannon is as warm
// as the harness's own: each line on stdin, "<url> <seconds> <connections>", is one slice, and
// each slice's figures come back as one JSON line on stdout.
import readline from 'node:readline';
import autocannon from 'autocannon';

for await (const line of readline.createInterface({ input: process.stdin })) {
  const [url, seconds, connections] = line.trim().split(' ');
  const r = await autocannon({ url, connections: Number(connections), pipelining: 1, duration: Number(seconds) });
  console.log(JSON.stringify({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts }));
}
