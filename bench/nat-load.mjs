// Runs in the nat load container (bench/nat.mjs): one autocannon slice, its figures as one JSON line.
import autocannon from 'autocannon';

const [url, seconds, connections] = process.argv.slice(2);
const r = await autocannon({ url, connections: Number(connections), pipelining: 1, duration: Number(seconds) });
console.log(JSON.stringify({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts }));
